package io.parley.testing.api;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks the API promise that a public builder refuses {@code null} in any setter with an
 * {@link IllegalArgumentException} naming the parameter, never a {@link NullPointerException}
 * later or a silently accepted null. Finds every public nested {@code Builder} in the compiled
 * classes of the module that holds {@code anchor}, makes one through its outer class's public
 * no-argument static {@code builder()}, and calls every public one-argument setter that takes an
 * object with {@code null}.
 */
public final class BuilderContract {

    private BuilderContract() {
    }

    /**
     * Returns one line per setter that breaks the promise (empty when all keep it), plus one per
     * builder it could not reach (no public no-argument {@code builder()}), prefixed "unchecked".
     */
    public static List<String> nullSetterViolations(Class<?> anchor) throws IOException, URISyntaxException {
        Path classes = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> problems = new ArrayList<>();
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(p -> classes.relativize(p).toString())
                    .filter(n -> n.endsWith("$Builder.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
        for (String name : names) {
            Class<?> builderType;
            try {
                builderType = Class.forName(name, false, anchor.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            Class<?> outer = builderType.getEnclosingClass();
            if (!Modifier.isPublic(builderType.getModifiers()) || outer == null || !Modifier.isPublic(outer.getModifiers())) {
                continue;
            }
            Method factory;
            try {
                factory = outer.getMethod("builder");
            } catch (NoSuchMethodException e) {
                continue;
            }
            if (!Modifier.isStatic(factory.getModifiers()) || factory.getReturnType() != builderType) {
                continue;
            }
            for (Method setter : builderType.getMethods()) {
                if (setter.getParameterCount() != 1 || setter.getParameterTypes()[0].isPrimitive()
                        || setter.getDeclaringClass() == Object.class || Modifier.isStatic(setter.getModifiers())) {
                    continue;
                }
                String where = outer.getSimpleName() + ".Builder." + setter.getName() + "("
                        + setter.getParameterTypes()[0].getSimpleName() + ")";
                try {
                    Object builder = factory.invoke(null);
                    setter.invoke(builder, new Object[] {null});
                    problems.add(where + " accepted null");
                } catch (InvocationTargetException e) {
                    Throwable cause = e.getCause();
                    if (!(cause instanceof IllegalArgumentException)) {
                        problems.add(where + " threw " + cause + " instead of IllegalArgumentException");
                    }
                } catch (ReflectiveOperationException e) {
                    problems.add(where + " could not be called: " + e);
                }
            }
        }
        return problems;
    }
}
