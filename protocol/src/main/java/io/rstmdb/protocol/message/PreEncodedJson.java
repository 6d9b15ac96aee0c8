package io.rstmdb.protocol.message;

/**
 * JSON already in canonical form, carried inside a result tree as a {@code POJONode}: {@link
 * CanonicalJsonWriter} copies its bytes as they are. Build it with {@link CanonicalJsonBuffer}.
 *
 * @param bytes canonical UTF-8 JSON in {@code [0, length)}; never modified once built
 */
public record PreEncodedJson(byte[] bytes, int length) {}
