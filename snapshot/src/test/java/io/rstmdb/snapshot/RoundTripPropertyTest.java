package io.rstmdb.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rstmdb.core.failpoint.Failpoints;
import io.rstmdb.core.port.SnapshotInfo;
import io.rstmdb.core.port.SnapshotKind;
import io.rstmdb.core.port.SnapshotPort.SnapshotWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever JSON the engine hands in comes back equal, in order, also after a reopen. */
class RoundTripPropertyTest {

  /**
   * Arbitrary strings include unpaired surrogates, which JSON cannot carry everywhere: such an item
   * may be refused by {@code write}, but whatever is accepted must read back equal.
   */
  @Property(tries = 60)
  void acceptedItemsRoundTrip(@ForAll("items") List<JsonNode> generated) throws IOException {
    Path dir = Files.createTempDirectory("snap-prop");
    try {
      List<JsonNode> accepted = new ArrayList<>();
      SnapshotInfo info;
      try (FileSnapshotStore store = FileSnapshotStore.open(dir, Failpoints.NONE)) {
        try (SnapshotWriter w = store.begin(SnapshotKind.STATE, 3, 4)) {
          for (JsonNode item : generated) {
            try {
              w.write(item);
              // Items are JSON values: a LongNode 0 comes back as the IntNode 0 Jackson parses.
              accepted.add(Items.json(item.toString()));
            } catch (IllegalArgumentException refused) {
              assertThat(refused).hasMessageContaining("snapshot item");
            }
          }
          info = w.commit();
        }
        assertThat(info.itemCount()).isEqualTo(accepted.size());
        assertThat(Items.readAll(store, info.id())).containsExactlyElementsOf(accepted);
      }
      try (FileSnapshotStore store = FileSnapshotStore.open(dir, Failpoints.NONE)) {
        assertThat(store.list()).containsExactly(info);
        assertThat(Items.readAll(store, info.id())).containsExactlyElementsOf(accepted);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Property(tries = 50)
  void validUnicodeIsNeverRefused(@ForAll("items") List<JsonNode> generated) throws IOException {
    List<JsonNode> valid =
        generated.stream().filter(n -> !hasUnpairedSurrogate(n.toString())).toList();
    Path dir = Files.createTempDirectory("snap-prop");
    try (FileSnapshotStore store = FileSnapshotStore.open(dir, Failpoints.NONE)) {
      SnapshotInfo info = Items.commit(store, 0, valid);
      assertThat(info.itemCount()).isEqualTo(valid.size());
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  @Provide
  Arbitrary<List<JsonNode>> items() {
    return node(3).list().ofMaxSize(40);
  }

  private Arbitrary<JsonNode> node(int depth) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    Arbitrary<JsonNode> scalar =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(30).map(f::textNode),
            Arbitraries.longs().map(f::numberNode),
            Arbitraries.integers().map(f::numberNode),
            Arbitraries.of(true, false).map(f::booleanNode),
            Arbitraries.just(f.nullNode()));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<JsonNode> array =
        node(depth - 1)
            .list()
            .ofMaxSize(4)
            .map(
                children -> {
                  ArrayNode a = f.arrayNode();
                  children.forEach(a::add);
                  return a;
                });
    Arbitrary<JsonNode> object =
        Arbitraries.maps(Arbitraries.strings().all().ofMaxLength(8), node(depth - 1))
            .ofMaxSize(4)
            .map(
                fields -> {
                  ObjectNode o = f.objectNode();
                  fields.forEach(o::set);
                  return o;
                });
    return Arbitraries.oneOf(scalar, array, object);
  }
}
