package io.foldwise.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.select.ErrorAnalysis.Confusion;
import io.foldwise.select.ErrorAnalysis.Prediction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Confusions, example order, per-class shares and the generated summary on a constructed case. */
class ErrorAnalysisTest {
    private static Prediction p(String id, int label, int predicted, double confidence) {
        double[] probs = new double[3];
        probs[predicted] = confidence;
        probs[(predicted + 1) % 3] = 1 - confidence;
        return new Prediction(id, "file:/" + id, label, predicted, probs, 0);
    }

    /** 20 images of a, 16 of b, 4 of c; mistakes: a→b x3, c→a x2, b→a x1. */
    private static ErrorAnalysis constructed() {
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            ps.add(p("a" + i, 0, 0, 0.9));
        }
        ps.add(p("a17", 0, 1, 0.6));
        ps.add(p("a18", 0, 1, 0.95));
        ps.add(p("a19", 0, 1, 0.7));
        for (int i = 0; i < 15; i++) {
            ps.add(p("b" + i, 1, 1, 0.5 + i / 100.0));
        }
        ps.add(p("b15", 1, 0, 0.8));
        ps.add(p("c0", 2, 2, 0.99));
        ps.add(p("c1", 2, 2, 0.98));
        ps.add(p("c2", 2, 0, 0.55));
        ps.add(p("c3", 2, 0, 0.65));
        return ErrorAnalysis.of(List.of("a", "b", "c"), ps);
    }

    @Test
    void confusionsMostFrequentFirstWithMostConfidentExamplesFirst() {
        List<Confusion> cs = constructed().confusions();
        assertThat(cs).extracting(Confusion::label, Confusion::predicted, Confusion::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 1, 3L),
                        org.assertj.core.groups.Tuple.tuple(2, 0, 2L), org.assertj.core.groups.Tuple.tuple(1, 0, 1L));
        assertThat(cs.get(0).examples()).extracting(Prediction::id).containsExactly("a18", "a19", "a17");
        for (Confusion c : cs) {
            assertThat(c.examples()).allMatch(x -> x.label() == c.label() && x.predicted() == c.predicted());
        }
    }

    @Test
    void listsPerClassFiguresAndSummary() {
        ErrorAnalysis a = constructed();
        assertThat(a.errors()).isEqualTo(6);
        assertThat(a.mostConfidentMistakes()).extracting(Prediction::id).startsWith("a18", "b15", "a19");
        assertThat(a.mostConfidentMistakes()).noneMatch(Prediction::correct);
        assertThat(a.leastConfidentCorrect()).extracting(Prediction::id).startsWith("b0", "b1");
        assertThat(a.leastConfidentCorrect()).allMatch(Prediction::correct);
        assertThat(a.share(2)).isEqualTo(0.1);
        assertThat(a.classError(2)).isEqualTo(0.5);
        assertThat(a.lowData(2)).isTrue();
        assertThat(a.lowData(1)).isFalse();
        String s = a.summary();
        assertThat(s).contains("6 of 40").contains("a → b accounts for 50.0% of errors (3 of 6)")
                .contains("The 3 most frequent confusions account for 100.0%")
                .contains("Class c has the highest CV error (50.0% of its 4 images)")
                .contains("Classes with less data: c (10.0% of the data");
    }

    /** The bounded lists kept while streaming are exactly the first ones of a full sort of every prediction. */
    @Test
    void streamedExamplesAreTheTopOfAFullSort() {
        java.util.Random r = new java.util.Random(7);
        List<Prediction> ps = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int label = r.nextInt(3);
            int predicted = r.nextInt(10) < 7 ? label : r.nextInt(3);
            // Coarse confidences, so that ties (broken by id) happen often.
            ps.add(p(String.format("x%05d", r.nextInt(100_000)) + "-" + i, label, predicted, 0.34 + r.nextInt(60) / 100.0));
        }
        ErrorAnalysis a = ErrorAnalysis.of(List.of("a", "b", "c"), ps);
        java.util.Comparator<Prediction> sure = java.util.Comparator.comparingDouble(Prediction::confidence).reversed()
                .thenComparing(Prediction::id);
        assertThat(a.mostConfidentMistakes()).containsExactlyElementsOf(
                ps.stream().filter(x -> !x.correct()).sorted(sure).limit(ErrorAnalysis.EXAMPLES).toList());
        java.util.Comparator<Prediction> unsure = java.util.Comparator.comparingDouble(Prediction::confidence)
                .thenComparing(Prediction::id);
        assertThat(a.leastConfidentCorrect()).containsExactlyElementsOf(ps.stream().filter(Prediction::correct)
                .sorted(unsure).limit(ErrorAnalysis.EXAMPLES).toList());
        for (Confusion c : a.confusions()) {
            List<Prediction> all = ps.stream().filter(x -> x.label() == c.label() && x.predicted() == c.predicted())
                    .toList();
            assertThat(c.count()).isEqualTo(all.size());
            assertThat(c.examples()).containsExactlyElementsOf(all.stream().sorted(sure).limit(ErrorAnalysis.EXAMPLES)
                    .toList());
        }
        assertThat(a.errors()).isEqualTo(ps.stream().filter(x -> !x.correct()).count());
        assertThat(a.confusions()).hasSize(6);
    }
}
