package io.rstmdb.server.watch;

/** Which op created a subscription (also the label of the subscriptions metric). */
public enum WatchKind {
  INSTANCE,
  ALL
}
