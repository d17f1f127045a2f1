package io.dlrgate.gateway.cli;

import picocli.CommandLine;

/** The version from the jar's manifest (set by the build), or "dev" when run from classes. */
public final class VersionProvider implements CommandLine.IVersionProvider {

    public static String version() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"dlrgate " + version()};
    }
}
