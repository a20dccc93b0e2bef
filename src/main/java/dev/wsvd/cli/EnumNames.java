package dev.wsvd.cli;

import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Enum constants as the command line spells them: lower case, words joined by '-' ({@code REPLACED_WEIGHT} is
 * {@code replaced-weight}), accepted in any case. Single-word enums need nothing of this: picocli matches them
 * case-insensitively.
 */
final class EnumNames {
    private EnumNames() {
    }

    /** The command-line spelling of {@code constant}. */
    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant of {@code type} spelled {@code value}. */
    static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equalsIgnoreCase(value.trim())) {
                return constant;
            }
        }
        throw new TypeConversionException("'" + value + "' is not " + Arrays.stream(type.getEnumConstants())
                .map(EnumNames::of).collect(Collectors.joining(" or ")));
    }
}
