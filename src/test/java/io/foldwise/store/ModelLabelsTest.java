package io.foldwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.config.ClassMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** labels.json: the mapping survives a round trip, and an older run's bare array still reads. */
class ModelLabelsTest {
    @Test
    void roundTripKeepsLabelsAndMapping() {
        ModelLabels m = new ModelLabels(List.of("rest", "three"), ClassMap.of(Map.of("3", "three", "*", "rest")));
        ModelLabels back = ModelLabels.fromJson(Json.parse(Json.render(m.toJson())));
        assertThat(back).isEqualTo(m);
        assertThat(back.classes().target("7")).contains("rest");
    }

    @Test
    void olderBareArrayReadsAsEveryClass() {
        ModelLabels old = ModelLabels.fromJson(Json.parse("[\"0\", \"1\"]"));
        assertThat(old.labels()).containsExactly("0", "1");
        assertThat(old.classes().all()).isTrue();
    }
}
