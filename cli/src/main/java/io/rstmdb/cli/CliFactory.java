package io.rstmdb.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/** Builds command objects through their {@code (CliContext)} constructors. */
final class CliFactory implements IFactory {

  private final CliContext ctx;
  private final IFactory fallback = CommandLine.defaultFactory();

  CliFactory(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    if (cls == GlobalOptions.class) {
      return cls.cast(ctx.global());
    }
    try {
      Constructor<K> constructor = cls.getDeclaredConstructor(CliContext.class);
      return constructor.newInstance(ctx);
    } catch (NoSuchMethodException e) {
      return fallback.create(cls);
    }
  }
}
