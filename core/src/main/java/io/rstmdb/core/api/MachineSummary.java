package io.rstmdb.core.api;

import java.util.List;

/** A machine name with its versions in ascending order. */
public record MachineSummary(String machine, List<Long> versions) {}
