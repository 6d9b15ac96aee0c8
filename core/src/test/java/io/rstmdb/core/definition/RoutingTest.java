package io.rstmdb.core.definition;

import static io.rstmdb.core.definition.MachineDefinitionValidationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Transition lookup (§4) and guarded routing (decision 4). */
class RoutingTest {
  private static final MachineDefinition ORDER =
      MachineDefinition.parse(
          json(
              "{'states':['created','paid','review','shipped','cancelled'],'initial':'created',"
                  + "'transitions':["
                  + "{'from':'created','event':'PAY','to':'paid'},"
                  + "{'from':'paid','event':'SHIP','to':'review','guard':'ctx.amount > 1000'},"
                  + "{'from':'paid','event':'SHIP','to':'shipped','guard':'ctx.address_ok'},"
                  + "{'from':['created','paid','created'],'event':'CANCEL','to':'cancelled'},"
                  + "{'from':'paid','event':'CANCEL','to':'review'},"
                  + "{'from':[],'event':'NEVER','to':'created'},"
                  + "{'from':'shipped','event':'SHIP','to':'shipped'}]}"));

  @Test
  void candidatesAreInDefinitionOrder() {
    assertThat(ORDER.candidates("paid", "SHIP"))
        .extracting(Transition::to)
        .containsExactly("review", "shipped");
    assertThat(ORDER.candidates("paid", "CANCEL"))
        .extracting(Transition::to)
        .containsExactly("cancelled", "review");
  }

  @Test
  void aRepeatedSourceStateYieldsTheTransitionOnce() {
    assertThat(ORDER.candidates("created", "CANCEL")).hasSize(1);
  }

  @Test
  void lookupIsExactAndCaseSensitive() {
    assertThat(ORDER.candidates("created", "pay")).isEmpty();
    assertThat(ORDER.candidates("Created", "PAY")).isEmpty();
    assertThat(ORDER.candidates("nowhere", "PAY")).isEmpty();
    assertThat(ORDER.candidates("created", "NEVER")).isEmpty();
  }

  @Test
  void firstPassingGuardWins() {
    Route big = ORDER.route("paid", "SHIP", json("{'amount':5000,'address_ok':true}"));
    assertThat(big).isInstanceOf(Route.Go.class);
    assertThat(((Route.Go) big).transition().to()).isEqualTo("review");

    Route small = ORDER.route("paid", "SHIP", json("{'amount':10,'address_ok':true}"));
    assertThat(((Route.Go) small).transition().to()).isEqualTo("shipped");
  }

  @Test
  void noPassingGuardFailsWithTheFirstCandidate() {
    Route route = ORDER.route("paid", "SHIP", json("{'amount':10}"));
    assertThat(route).isInstanceOf(Route.GuardFailed.class);
    assertThat(((Route.GuardFailed) route).firstCandidate().to()).isEqualTo("review");
  }

  @Test
  void anUnguardedCandidateAlwaysPasses() {
    Route route = ORDER.route("paid", "CANCEL", null);
    assertThat(((Route.Go) route).transition().to()).isEqualTo("cancelled");
  }

  @Test
  void selfTransitionsAreOrdinary() {
    Route route = ORDER.route("shipped", "SHIP", json("{}"));
    assertThat(((Route.Go) route).transition().to()).isEqualTo("shipped");
  }

  @Test
  void noCandidateMeansNoTransition() {
    assertThat(ORDER.route("shipped", "PAY", json("{}"))).isEqualTo(new Route.NoTransition());
    assertThat(ORDER.route("cancelled", "CANCEL", json("{}")))
        .isInstanceOf(Route.NoTransition.class);
  }

  @Test
  void aNullContextIsMissingEverything() {
    assertThat(ORDER.route("paid", "SHIP", null)).isInstanceOf(Route.GuardFailed.class);
  }
}
