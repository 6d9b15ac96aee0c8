package io.rstmdb.server.di;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the graph opened on its own and must close at shutdown (the default file adapters), in
 * reverse order of opening.
 */
public final class OwnedResources implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedResources.class);

  private final List<AutoCloseable> resources = new ArrayList<>();

  synchronized <T extends AutoCloseable> T own(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public synchronized void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.error("failed to close {}", resources.get(i), e);
      }
    }
    resources.clear();
  }
}
