package io.rstmdb.core.api;

/** Filters (all optional, {@code null} = any) and paging for listing instances. */
public record InstanceQuery(String machine, Long version, String state, long limit, long offset) {}
