package io.foldwise.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.foldwise.TestSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package's place in the dependency graph, read from its sources (comments left out). */
class ConfigPackageTest {
    private static final Path SOURCES = TestSpark.projectDir().resolve("src/main/java/io/foldwise/config");

    private static String code(Path file) throws IOException {
        return Files.readString(file).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void importsNoOtherFoldwisePackage() throws IOException {
        Pattern foldwise = Pattern.compile("\\bio\\.foldwise\\.[\\w.]+");
        for (Path f : sources()) {
            Matcher m = foldwise.matcher(code(f));
            while (m.find()) {
                assertThat(m.group()).as("%s", f.getFileName())
                        .matches("io\\.foldwise\\.(config(\\..*)?|FoldwiseException)");
            }
        }
        assertThat(sources()).hasSizeGreaterThan(10);
    }

    @Test
    void theReaderDoesNotCallBackIntoTheLoader() throws IOException {
        assertThat(code(SOURCES.resolve("ConfigReader.java"))).doesNotContain("ConfigLoader");
        assertThat(code(SOURCES.resolve("TrainOverlay.java"))).doesNotContain("ConfigLoader");
        assertThat(code(SOURCES.resolve("ConfigLoader.java"))).contains("new ConfigReader(");
    }
}
