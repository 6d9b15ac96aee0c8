package io.rstmdb.core.api;

import java.util.List;

/** Several commands executed in order; {@code atomic} means all or nothing. */
public record Batch(boolean atomic, List<Command> commands) {}
