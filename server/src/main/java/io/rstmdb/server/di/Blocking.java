package io.rstmdb.server.di;

import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Marks the executor for calls that may block on disk, kept off the Netty event loops. */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
public @interface Blocking {}
