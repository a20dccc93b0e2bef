package dev.wsvd.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.wsvd.io.AtomicFile;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;

/**
 * Every JSON file wsvd writes or reads (report.json, {@code inspect --json}, {@code factor --profile}, the scores
 * file) goes through this one mapper, so they share one spelling and one set of rules:
 * <ul>
 *   <li>A document is a record made for its JSON form; components map to snake_case keys ({@code formatVersion}
 *       is {@code format_version}), in component order, every key always present ({@code null} where a value
 *       does not apply). Each document starts with {@code format} (its name) and {@code format_version}.</li>
 *   <li>Reading is strict about what is there (no duplicate keys, no trailing data, no strings for numbers, no
 *       fractions for whole numbers, every component present) and lenient about what is not: unknown keys are
 *       ignored, so a later minor addition stays readable.</li>
 *   <li>Numbers are JSON numbers; {@link BigDecimal}s are written plainly, never in exponent notation.</li>
 * </ul>
 * Files are written through {@link AtomicFile}. Every reading problem is a {@link MalformedException}
 * naming the file, the field (as a path such as {@code layers[1].rank}) and what was expected.
 */
public final class JsonDocuments {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // a number or boolean where a string belongs is a mistake in the file, not a spelling of the string
            .withCoercionConfig(LogicalType.Textual, strings -> strings
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private JsonDocuments() {
    }

    /**
     * A JSON document wsvd cannot read back: not JSON, another format or version, a field missing or of the wrong
     * type, or a value its reader refuses. The message names the file, the field and what is wrong.
     */
    public static final class MalformedException extends IOException {
        private static final long serialVersionUID = 1L;

        private final transient Path file;

        /** {@code file} has {@code problem}. */
        public MalformedException(Path file, String problem) {
            this(file, problem, null);
        }

        /** {@code file} has {@code problem}, found by {@code cause}. */
        public MalformedException(Path file, String problem, Throwable cause) {
            super(file + ": " + problem, cause);
            this.file = file;
        }

        /** The file that could not be read. */
        public Path file() {
            return file;
        }
    }

    /** {@code document} as pretty-printed JSON, ending with a newline. */
    public static String toText(Object document) {
        Objects.requireNonNull(document, "document");
        try {
            return MAPPER.writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + document.getClass().getSimpleName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Writes {@code document} to {@code file} as {@link #toText} gives it, atomically. */
    public static void write(Path file, Object document) throws IOException {
        AtomicFile.write(file, toText(document).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a document of {@code type} from {@code file}, which must be of format {@code format}, version
     * {@code version}.
     *
     * @throws MalformedException if the file is empty, not JSON, of another format or version, or does not fit
     *                                    {@code type}; the message names the file and the field
     * @throws IOException                if the file cannot be read at all
     */
    public static <T> T read(Path file, Class<T> type, String format, int version) throws IOException {
        return parse(Files.readString(file), file, type, format, version);
    }

    /** As {@link #read}, from {@code text}; {@code source} names it in messages. */
    public static <T> T parse(String text, Path source, Class<T> type, String format, int version)
            throws MalformedException {
        if (text.isBlank()) {
            throw new MalformedException(source, "is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new MalformedException(source, "is not valid JSON: " + e.getOriginalMessage() + location(e), e);
        }
        if (!root.isObject()) {
            throw new MalformedException(source, "the top level must be a JSON object, found " + kind(root));
        }
        JsonNode actualFormat = root.get("format");
        if (actualFormat == null || !format.equals(actualFormat.textValue())) {
            throw new MalformedException(source, "\"format\" must be \"" + format + "\", found "
                    + (actualFormat == null ? "nothing" : actualFormat.toString()));
        }
        JsonNode actualVersion = root.get("format_version");
        if (actualVersion == null || !actualVersion.isIntegralNumber() || actualVersion.intValue() != version) {
            throw new MalformedException(source, "\"format_version\" must be " + version + ", found "
                    + (actualVersion == null ? "nothing" : actualVersion.toString())
                    + (actualVersion != null && actualVersion.isIntegralNumber() && actualVersion.intValue() > version
                    ? " (written by a newer wsvd)" : ""));
        }
        try {
            return MAPPER.treeToValue(root, type);
        } catch (JsonMappingException e) {
            throw new MalformedException(source, where(e) + ": " + problem(e), e);
        } catch (JsonProcessingException e) {
            throw new MalformedException(source, e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            // a document record's constructor refusing a value
            throw new MalformedException(source, e.getMessage(), e);
        }
    }

    /** The field a binding problem is at: {@code layers[1].rank}, {@code layers.conv1["0.5"]}. */
    private static String where(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference step : e.getPath()) {
            if (step.getFieldName() == null) {
                path.append('[').append(step.getIndex()).append(']');
            } else if (step.getFieldName().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
            } else {
                path.append("[\"").append(step.getFieldName()).append("\"]");
            }
        }
        return path.isEmpty() ? "the top level" : path.toString();
    }

    private static String problem(JsonMappingException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            // Jackson's path already ends at the missing component
            return isMissingProperty(e) ? "missing" : "expected " + describe(mismatch.getTargetType());
        }
        // a record constructor's check surfaces as the cause
        return e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getOriginalMessage();
    }

    private static boolean isMissingProperty(JsonMappingException e) {
        String message = e.getOriginalMessage();
        return message != null && (message.startsWith("Missing creator property") || message.startsWith("Missing required creator property"));
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "true or false";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    private static String location(JacksonException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
