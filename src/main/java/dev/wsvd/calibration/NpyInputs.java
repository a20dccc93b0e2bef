package dev.wsvd.calibration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of {@code .npy} files named by model input ({@code input_ids.npy} feeds {@code input_ids}), read into
 * {@link InputArray}s: float16/32/64 become float32, int8/16/32/64 and bool become int64 (as token ids and masks are
 * fed). C order only (Fortran-ordered arrays are refused with the fix).
 */
public final class NpyInputs {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyInputs() {
    }

    /**
     * Every {@code .npy} file in {@code folder}, sorted by name.
     *
     * @throws CalibrationException if the folder is missing or holds no {@code .npy} file, or a file is not a
     *                              readable array of a supported type; the message names the file
     */
    public static List<InputArray> read(Path folder) throws CalibrationException {
        if (!Files.isDirectory(folder)) {
            throw new CalibrationException("calibration folder " + folder + " does not exist or is not a folder; give a"
                    + " folder of .npy files named by model input (input_ids.npy, ...)");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".npy") && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new CalibrationException("cannot list the calibration folder " + folder + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new CalibrationException("calibration folder " + folder + " holds no .npy file; save one array per model"
                    + " input, named after it (input_ids.npy, ...), the samples on the first axis");
        }
        List<InputArray> arrays = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            arrays.add(read(file, name.substring(0, name.length() - ".npy".length())));
        }
        return arrays;
    }

    /** One {@code .npy} file as the calibration values of input {@code name}. */
    public static InputArray read(Path file, String name) throws CalibrationException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CalibrationException("cannot read calibration file " + file + ": " + e.getMessage(), e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || bytes[0] != (byte) 0x93 || !new String(bytes, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
            throw new CalibrationException(file + " is not a .npy file (no \\x93NUMPY magic); save it with numpy.save");
        }
        int major = bytes[6];
        int headerLength = major == 1 ? Short.toUnsignedInt(buffer.getShort(8)) : buffer.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        if (start > bytes.length) {
            throw new CalibrationException(file + " is truncated inside its header");
        }
        String header = new String(bytes, major == 1 ? 10 : 12, headerLength, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file);
        if (group(FORTRAN, header, file).equals("True")) {
            throw new CalibrationException(file + " is in Fortran order; save it with numpy.save(np.ascontiguousarray(a))");
        }
        String shapeText = group(SHAPE, header, file).trim();
        long[] shape = shapeText.isEmpty() ? new long[0] : Arrays.stream(shapeText.split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        ByteOrder order = descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String kind = descr.replaceFirst("^[<>|=]", "");
        int width = kind.length() > 1 ? Integer.parseInt(kind.substring(1)) : 0;
        if ((long) width * count != bytes.length - start) {
            throw new CalibrationException(file + " holds " + (bytes.length - start) + " data bytes, but its header promises "
                    + Arrays.toString(shape) + " of " + descr);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, start, bytes.length - start).slice().order(order);
        int n = Math.toIntExact(count);
        try {
            switch (kind) {
                case "f2", "f4", "f8" -> {
                    float[] values = new float[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = switch (kind) {
                            case "f2" -> Float.float16ToFloat(data.getShort(i * 2));
                            case "f4" -> data.getFloat(i * 4);
                            default -> (float) data.getDouble(i * 8);
                        };
                    }
                    return new InputArray(name, shape, values, null, file.toString());
                }
                case "i1", "u1", "b1", "i2", "i4", "i8" -> {
                    long[] values = new long[n];
                    for (int i = 0; i < n; i++) {
                        values[i] = switch (kind) {
                            case "i1" -> data.get(i);
                            case "u1", "b1" -> Byte.toUnsignedInt(data.get(i));
                            case "i2" -> data.getShort(i * 2);
                            case "i4" -> data.getInt(i * 4);
                            default -> data.getLong(i * 8);
                        };
                    }
                    return new InputArray(name, shape, null, values, file.toString());
                }
                default -> throw new CalibrationException(file + " holds " + descr + " values; calibration takes float16/32/64"
                        + " for float inputs and bool/int8..int64 for int64 inputs");
            }
        } catch (IllegalArgumentException e) {
            throw new CalibrationException(e.getMessage(), e);
        }
    }

    private static String group(Pattern pattern, String header, Path file) throws CalibrationException {
        Matcher matcher = pattern.matcher(header);
        if (!matcher.find()) {
            throw new CalibrationException(file + " has a malformed .npy header: " + header.trim());
        }
        return matcher.group(1);
    }
}
