package dev.wsvd.nativelib;

import java.util.Locale;

/**
 * The operating system and CPU architecture, named as org.bytedeco's platform classifiers name them
 * ({@code linux-x86_64}, {@code linux-arm64}, {@code macosx-arm64}, {@code windows-x86_64}, ...).
 */
record Platform(String os, String arch) {

    /** The only platform whose bundled natives wsvd has been built and tested against. */
    static final Platform LINUX_X86_64 = new Platform("linux", "x86_64");

    static Platform current() {
        return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
    }

    /** Maps the JVM's {@code os.name} and {@code os.arch} to classifier terms. */
    static Platform of(String osName, String osArch) {
        String name = osName.toLowerCase(Locale.ROOT);
        String os = name.startsWith("linux") ? "linux"
                : name.startsWith("mac") || name.startsWith("darwin") ? "macosx"
                : name.startsWith("windows") ? "windows"
                : name.replaceAll("\\W", "");
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "x86";
            case "arm", "arm32" -> "armhf";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return new Platform(os, arch);
    }

    /** Whether the bundled natives use the Linux shared-library layout this loader knows (.so files, RUNPATH). */
    boolean isLinux() {
        return os.equals("linux");
    }

    /** The classifier of the org.bytedeco:openblas jar that carries this platform's natives. */
    String classifier() {
        return os + "-" + arch;
    }

    @Override
    public String toString() {
        return classifier();
    }
}
