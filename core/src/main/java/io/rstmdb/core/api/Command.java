package io.rstmdb.core.api;

/** A mutation that may appear inside a batch. */
public sealed interface Command
    permits CreateInstance, ApplyEvent, DeleteInstance, RejectedCommand {}
