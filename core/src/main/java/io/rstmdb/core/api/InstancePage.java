package io.rstmdb.core.api;

import java.util.List;

/** One page of instances ordered by id (code point order), with the total after filtering. */
public record InstancePage(List<InstanceView> instances, long total, boolean hasMore) {}
