package dev.wsvd.nativelib;

import dev.wsvd.bindings.openblas.cblas_h;
import dev.wsvd.bindings.openblas.lapacke_h;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.stream.Stream;

/**
 * The C functions the bindings in {@code dev.wsvd.bindings.openblas} call, read from the binding classes
 * themselves so that the loader's up-front check cannot drift from what is bound.
 *
 * <p>jextract gives every function it binds a {@code public static MemorySegment name$address()} (and nothing
 * else of that shape), named after the C symbol. Listing methods by reflection neither initializes a binding
 * class nor resolves a symbol, so this is safe to call before the library is loaded, which is its purpose.
 */
final class BoundFunctions {
    /** The header classes generated from native/wsvd_openblas.h (see native/README.md). */
    static final List<Class<?>> HEADER_CLASSES = List.of(lapacke_h.class, cblas_h.class);

    private static final String ADDRESS_SUFFIX = "$address";
    private static final List<String> NAMES = HEADER_CLASSES.stream()
            .flatMap(header -> Stream.of(header.getDeclaredMethods()))
            .filter(BoundFunctions::isAddressGetter)
            .map(method -> method.getName().substring(0, method.getName().length() - ADDRESS_SUFFIX.length()))
            .sorted()
            .toList();

    private BoundFunctions() {
    }

    /** Every bound C function, sorted by name. */
    static List<String> names() {
        return NAMES;
    }

    private static boolean isAddressGetter(Method method) {
        int modifiers = method.getModifiers();
        return Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && method.getParameterCount() == 0
                && method.getReturnType() == MemorySegment.class && method.getName().endsWith(ADDRESS_SUFFIX);
    }
}
