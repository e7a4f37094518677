package dev.berth.cli.commands.access;

import dev.berth.oci.Reference;

/** HOST/REPO[:TAG] as the repository and licence commands take it: settings and licences belong to the repository. */
record RepositoryRef(String registry, String repository) {
    static RepositoryRef parse(String text) {
        Reference reference = Reference.parseNormalized(text);
        return new RepositoryRef(reference.registry(), reference.repository());
    }

    String path(String what) {
        return "repositories/" + repository + "/" + what;
    }

    @Override
    public String toString() {
        return registry + "/" + repository;
    }
}
