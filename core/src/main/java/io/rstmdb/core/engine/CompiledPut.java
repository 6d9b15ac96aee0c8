package io.rstmdb.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.rstmdb.core.api.PutMachine;
import io.rstmdb.core.definition.MachineDefinition;
import io.rstmdb.core.error.RstmdbException;
import io.rstmdb.core.json.CanonicalJson;

/**
 * The part of a PUT_MACHINE that does not depend on the database: the engine's own copy of the
 * definition, parsed, validated, normalized and checksummed, or the reason it is refused. The
 * engine builds it on the caller's thread before taking the sequencer lock: for a definition of
 * 100,000 states that is seconds of CPU, and while it ran under the lock every other writer, on
 * every connection, waited for it (QA: APPLY_EVENTs stalled 3.4–3.6 s behind a 5 MB PUT_MACHINE).
 *
 * <p>Building it never throws. A refusal is kept in {@code problem} and raised by the planner under
 * the lock, at the point where parsing used to fail: the version limit is checked before the
 * definition (state-machines.md §4.1) and a malformed definition answers BAD_REQUEST even for a
 * stored version, so a caller sees the same error whichever checks fail together.
 *
 * @param received the engine's copy of the definition exactly as sent (what the WAL entry keeps);
 *     {@code null} when the command has none or it is refused
 * @param definition the compiled definition; {@code null} when {@code received} is
 * @param problem why the definition or the given checksum is refused; {@code null} when neither is
 */
record CompiledPut(
    PutMachine command, JsonNode received, MachineDefinition definition, RuntimeException problem) {

  /**
   * Largest definition accepted, in characters of its compact JSON. A stored definition is held
   * compiled, at 17–30 times its JSON size in heap (routes, guard trees, the normalized copy), for
   * as long as the server runs and after every restart: without a cap a few 16 MiB PUT_MACHINEs
   * filled a default heap (QA), and the data could then not be opened with that heap. Real machines
   * are kilobytes; WAL replay does not check this, so a stored larger one still loads.
   */
  static final int MAX_DEFINITION_CHARS = 1024 * 1024;

  static CompiledPut of(PutMachine command) {
    JsonNode given = command.definition();
    if (given == null || given.isNull()) {
      return new CompiledPut(command, null, null, null); // the planner answers "missing field"
    }
    try {
      // Copied first and compiled from the copy, so what is stored is what was checked, even if
      // the caller changes its tree afterwards.
      JsonNode received = given.deepCopy();
      // Measured before compiling (the compile writes the normalized form again): refusing a
      // 16 MiB definition then costs one serialization, not seconds of compiling.
      int size = CanonicalJson.write(received).length();
      if (size > MAX_DEFINITION_CHARS) {
        throw RstmdbException.badRequest(
            "definition too large: "
                + size
                + " characters of JSON, at most "
                + MAX_DEFINITION_CHARS);
      }
      MachineDefinition definition = MachineDefinition.parse(received);
      String checksum = definition.checksum();
      if (command.checksum() != null && !command.checksum().equalsIgnoreCase(checksum)) {
        throw RstmdbException.badRequest(
            "checksum mismatch: given " + command.checksum() + ", computed " + checksum);
      }
      return new CompiledPut(command, received, definition, null);
    } catch (RuntimeException e) {
      // Anything else thrown here answered INTERNAL_ERROR from under the lock; it still does.
      return new CompiledPut(command, null, null, e);
    }
  }
}
