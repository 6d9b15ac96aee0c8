package io.rstmdb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rstmdb.server.config.AuthConfig;
import io.rstmdb.server.config.ConfigException;
import io.rstmdb.server.it.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthenticatorTest {

  private static final String HASH =
      "ea5add57437cbf20af59034d7ed17968dcc56767b41965fcc5b376d45db8b4a3";

  @TempDir Path dir;

  @Test
  void hashMatchesTheReferenceAndTheCli() {
    assertThat(TokenAuthenticator.hashHex("my-secret-token")).isEqualTo(HASH);
    assertThat(TokenAuthenticator.hashHex("test"))
        .isEqualTo("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  }

  @Test
  void requiredAuthAcceptsOnlyConfiguredHashes() {
    TokenAuthenticator auth = new TokenAuthenticator(true, List.of("00", HASH));
    assertThat(auth.accepts("my-secret-token")).isTrue();
    assertThat(auth.accepts("other")).isFalse();
    assertThat(auth.accepts("")).isFalse();
    assertThat(auth.accepts(null)).isFalse();
  }

  @Test
  void uppercaseHashesNeverMatchAsInTheReference() {
    TokenAuthenticator auth = new TokenAuthenticator(true, List.of(HASH.toUpperCase()));
    assertThat(auth.accepts("my-secret-token")).isFalse();
  }

  @Test
  void authOffAcceptsAnyNonEmptyToken() {
    TokenAuthenticator auth = new TokenAuthenticator(false, List.of());
    assertThat(auth.accepts("x")).isTrue();
    assertThat(auth.accepts("")).isFalse();
  }

  @Test
  void secretsFileLinesAreTrimmedCommentsAndBlanksSkipped() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# ops team\n\n   " + HASH + "   \n#" + "ab".repeat(32) + "\n");
    TokenAuthenticator auth = TokenHashSources.authenticator(new AuthConfig(true, List.of(), file));
    assertThat(auth.hashCount()).isEqualTo(1);
    assertThat(auth.accepts("my-secret-token")).isTrue();
  }

  @Test
  void requiredWithoutAnyHashRefusesToStart() {
    assertThatThrownBy(() -> TokenHashSources.authenticator(new AuthConfig(true, List.of(), null)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: auth.token_hashes:");
  }

  @Test
  void unreadableSecretsFileNamesTheKey() {
    assertThatThrownBy(
            () ->
                TokenHashSources.authenticator(
                    new AuthConfig(false, List.of(), dir.resolve("absent"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("invalid configuration: auth.secrets_file:");
  }

  @Test
  void entriesThatCanNeverMatchAreWarnedAboutByPositionNotValue() {
    try (CapturedLog log = CapturedLog.of(TokenHashSources.class)) {
      TokenHashSources.authenticator(
          new AuthConfig(true, List.of(HASH, "my-plain-secret-token", HASH.toUpperCase()), null));
      assertThat(log.infoLines())
          .containsExactly(
              "token hash 2 of 3 is not 64 lowercase hex characters (a SHA-256 digest); no token"
                  + " can match it. Store `rstmdb-cli hash-token TOKEN`, not the token itself",
              "token hash 3 of 3 is not 64 lowercase hex characters (a SHA-256 digest); no token"
                  + " can match it. Store `rstmdb-cli hash-token TOKEN`, not the token itself");
      assertThat(String.join("\n", log.infoLines())).doesNotContain("my-plain-secret-token");
    }
  }

  @Test
  void aSecretsFileOthersCanReadIsWarnedAbout() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, HASH + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (CapturedLog log = CapturedLog.of(TokenHashSources.class)) {
      TokenHashSources.authenticator(new AuthConfig(true, List.of(), file));
      assertThat(log.infoLines()).singleElement().asString().contains("chmod 600");
    }
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    try (CapturedLog log = CapturedLog.of(TokenHashSources.class)) {
      TokenHashSources.authenticator(new AuthConfig(true, List.of(), file));
      assertThat(log.infoLines()).isEmpty();
    }
  }
}
