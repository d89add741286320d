package io.foldwise.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * bench/augment.sh runs a main class that exists on the test classpath. (Running the benchmark
 * itself takes tens of seconds: timing lives in BENCHMARKS.md, not in tests.)
 */
class AugmentScriptTest {

    @Test
    void theScriptRunsAnExistingMainOnTheTestClasspath() throws IOException, ReflectiveOperationException {
        Path script = TestSpark.projectDir().resolve("bench/augment.sh");
        assertThat(Files.isExecutable(script)).isTrue();
        String text = Files.readString(script);
        assertThat(text).contains("target/test-classes");
        Matcher m = Pattern.compile("\\s(io\\.foldwise\\.[\\w.]+)\\s+\"\\$@\"").matcher(text);
        assertThat(m.find()).as("a main class followed by the script's arguments").isTrue();
        Method main = Class.forName(m.group(1)).getMethod("main", String[].class);
        assertThat(Modifier.isStatic(main.getModifiers())).isTrue();
        assertThat(m.group(1)).isEqualTo(AugmentBench.class.getName());
    }
}
