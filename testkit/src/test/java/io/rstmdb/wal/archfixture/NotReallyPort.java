package io.rstmdb.wal.archfixture;

/** Violates rule 6 on purpose: a port that is a class outside io.rstmdb.core.port. */
public class NotReallyPort {}
