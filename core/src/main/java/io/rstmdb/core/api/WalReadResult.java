package io.rstmdb.core.api;

import io.rstmdb.core.port.WalRecord;
import java.util.List;

/** Records read and the offset to ask for next (never going backwards). */
public record WalReadResult(List<WalRecord> records, long nextOffset) {}
