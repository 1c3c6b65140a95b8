package io.parley.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of the README, as written, against the modules on this
 * module's test classpath (all of Parley's): a snippet a user copies must compile. Each block is
 * one compilation unit with its imports and a public class.
 */
class ReadmeSnippetsTest {

    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("public\\s+(?:final\\s+)?(?:class|record|interface)\\s+(\\w+)");

    @TempDir
    Path out;

    record Snippet(int line, String code) {}

    static List<Snippet> snippets() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        List<Snippet> found = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 2;
            found.add(new Snippet(line, m.group(1)));
        }
        return found;
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlockCompiles() throws IOException {
        List<Snippet> all = snippets();
        assertThat(all).as("java blocks in README.md").isNotEmpty();
        return all.stream().map(s -> DynamicTest.dynamicTest("README.md line " + s.line(), () -> compile(s)));
    }

    private void compile(Snippet s) throws IOException {
        Matcher name = CLASS.matcher(s.code());
        assertThat(name.find()).as("README.md line %d: a java block must be a compilation unit with a public class", s.line())
                .isTrue();
        Path dir = Files.createTempDirectory(out, "snippet");
        Path source = dir.resolve(name.group(1) + ".java");
        Files.writeString(source, s.code(), StandardCharsets.UTF_8);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-proc:none"),
                    null, files.getJavaFileObjects(source)).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.add("README.md line " + (s.line() + d.getLineNumber() - 1) + ": " + d.getMessage(Locale.ROOT));
                }
            }
            assertThat(errors).as("compiling the java block at README.md line %d", s.line()).isEmpty();
            assertThat(ok).isTrue();
        }
    }
}
