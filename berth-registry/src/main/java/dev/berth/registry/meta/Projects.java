package dev.berth.registry.meta;

import dev.berth.registry.access.Conditions;
import dev.berth.registry.access.Role;
import dev.berth.registry.access.SharingClass;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Projects (the first component of a repository name), their sharing class and their members. */
public final class Projects {
    /**
     * {@code conditions} apply when {@code sharing} is restricted; a {@code trusted} project takes
     * pushes from its maintainers only and vouches for the images its staff keys sign.
     */
    public record Project(String id, String name, SharingClass sharing, Conditions conditions, boolean trusted) {
        public Project withSharing(SharingClass sharing, Conditions conditions) {
            return new Project(id, name, sharing, conditions, trusted);
        }

        public Project withTrusted(boolean trusted) {
            return new Project(id, name, sharing, conditions, trusted);
        }
    }

    public record Member(String name, boolean group, Role role) {
    }

    private final MetaStore store;

    public Projects(MetaStore store) {
        this.store = store;
    }

    /** Creates the project with {@code owner} as its owner; false when the name is taken. */
    public boolean create(String name, SharingClass sharing, String owner) {
        return store.write(connection -> {
            String id = UUID.randomUUID().toString();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO projects (id, name, sharing_class, created) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, id);
                insert.setString(2, name);
                insert.setString(3, sharing.label());
                insert.setLong(4, Instant.now().getEpochSecond());
                if (insert.executeUpdate() == 0) {
                    return false;
                }
            }
            try (PreparedStatement member = connection.prepareStatement(
                    "INSERT INTO members (project_id, member_name, is_group, role) VALUES (?, ?, 0, ?)")) {
                member.setString(1, id);
                member.setString(2, owner);
                member.setString(3, Role.OWNER.label());
                member.executeUpdate();
            }
            return true;
        });
    }

    public Optional<Project> byName(String name) {
        return store.read(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM projects WHERE name = ?")) {
                query.setString(1, name);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? Optional.of(project(rows)) : Optional.empty();
                }
            }
        });
    }

    public List<Project> list() {
        return store.read(connection -> {
            List<Project> projects = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT * FROM projects ORDER BY name");
                 ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    projects.add(project(rows));
                }
            }
            return projects;
        });
    }

    public List<Member> members(Project project) {
        return store.read(connection -> {
            List<Member> members = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT * FROM members WHERE project_id = ? ORDER BY is_group, member_name")) {
                query.setString(1, project.id());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        members.add(new Member(rows.getString("member_name"), rows.getInt("is_group") == 1,
                                Role.parse(rows.getString("role"))));
                    }
                }
            }
            return members;
        });
    }

    /** Adds the member or changes its role. */
    public void setMember(Project project, Member member) {
        store.write(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement(
                    "INSERT INTO members (project_id, member_name, is_group, role) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (project_id, member_name, is_group) DO UPDATE SET role = excluded.role")) {
                upsert.setString(1, project.id());
                upsert.setString(2, member.name());
                upsert.setInt(3, member.group() ? 1 : 0);
                upsert.setString(4, member.role().label());
                return upsert.executeUpdate();
            }
        });
    }

    public boolean removeMember(Project project, String name, boolean group) {
        return store.write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM members WHERE project_id = ? AND member_name = ? AND is_group = ?")) {
                delete.setString(1, project.id());
                delete.setString(2, name);
                delete.setInt(3, group ? 1 : 0);
                return delete.executeUpdate() == 1;
            }
        });
    }

    /** Sets the project's class and the restricted class's conditions. */
    public void setSharing(Project project, SharingClass sharing, Conditions conditions) {
        store.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE projects SET sharing_class = ?, allowed_groups = ?, allowed_networks = ? WHERE id = ?")) {
                update.setString(1, sharing.label());
                update.setString(2, conditions.groupsText());
                update.setString(3, conditions.networksText());
                update.setString(4, project.id());
                return update.executeUpdate();
            }
        });
    }

    public void setTrusted(Project project, boolean trusted) {
        store.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE projects SET trusted = ? WHERE id = ?")) {
                update.setInt(1, trusted ? 1 : 0);
                update.setString(2, project.id());
                return update.executeUpdate();
            }
        });
    }

    /** Deletes the project with its members and robots; its repositories must be gone already. */
    public void delete(Project project) {
        store.write(connection -> {
            try (PreparedStatement robots = connection.prepareStatement("DELETE FROM accounts WHERE robot_project = ?");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM projects WHERE id = ?")) {
                robots.setString(1, project.name());
                robots.executeUpdate();
                delete.setString(1, project.id());
                return delete.executeUpdate();
            }
        });
    }

    private static Project project(ResultSet rows) throws SQLException {
        return new Project(rows.getString("id"), rows.getString("name"), SharingClass.parse(rows.getString("sharing_class")),
                Conditions.parse(rows.getString("allowed_groups"), rows.getString("allowed_networks")),
                rows.getInt("trusted") == 1);
    }
}
