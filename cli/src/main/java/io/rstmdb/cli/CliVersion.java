package io.rstmdb.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (Maven fills it), or "dev" when run from classes. */
public final class CliVersion implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String version = CliVersion.class.getPackage().getImplementationVersion();
    return new String[] {"rstmdb-cli " + (version == null ? "dev" : version)};
  }
}
