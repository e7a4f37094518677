package dev.berth.cli.commands.access;

/** Where the API keeps one member of a project: users and groups may share a name, the query tells them apart. */
final class MemberPath {
    private MemberPath() {
    }

    static String of(String project, String name, boolean group) {
        return "projects/" + AccessClient.segment("project", project) + "/members/" + AccessClient.segment("member", name)
                + (group ? "?group=true" : "");
    }
}
