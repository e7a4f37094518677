package dev.berth.registry.http.api;

import static dev.berth.registry.http.Responses.methodNotAllowed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.oci.Digest;
import dev.berth.oci.Json;
import dev.berth.registry.ErrorCode;
import dev.berth.registry.Names;
import dev.berth.registry.Registry;
import dev.berth.registry.RegistryException;
import dev.berth.registry.access.Access;
import dev.berth.registry.access.AccessPolicy;
import dev.berth.registry.access.Conditions;
import dev.berth.registry.access.Role;
import dev.berth.registry.access.SharingClass;
import dev.berth.registry.meta.Projects;
import dev.berth.registry.meta.RepositorySettings;
import dev.berth.registry.meta.RepositorySettings.Licence;
import dev.berth.registry.meta.RepositorySettings.Settings;
import dev.berth.registry.trust.ImageTrust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code /berth/v1/repositories/REPO/...}: a repository's own class and licence
 * ({@code settings}, changed by the project's maintainers), and its licence as a puller reads
 * and accepts it ({@code licence}, {@code licence/acceptance}); its tags through time
 * ({@link TagHistoryResource}) and whether an image is trusted ({@link TrustResource}). REPO may hold slashes.
 */
final class RepositoriesResource {
    /** SPDX license expressions: ids and LicenseRef-s joined by AND, OR, WITH and parentheses. */
    private static final Pattern SPDX = Pattern.compile("[A-Za-z0-9.+()\\- :]{1,200}");
    private static final int MAX_LICENCE_TEXT = 128 * 1024;
    private static final Set<String> TAG_ENDPOINTS = Set.of("tags", "history", "restore");
    private static final Set<String> ENDPOINTS = Set.of("settings", "licence", "tags", "history", "restore", "trust");

    private final Access access;
    private final TagHistoryResource tagHistory;
    private final TrustResource trust;

    RepositoriesResource(Access access, Registry registry) {
        this.access = access;
        ImageTrust imageTrust = new ImageTrust(registry, access.projects(), access.projectKeys());
        this.tagHistory = new TagHistoryResource(access, registry, imageTrust);
        this.trust = new TrustResource(access, registry, imageTrust);
    }

    void handle(ApiCall call) throws IOException {
        String[] parts = call.path();
        int end = parts.length;
        String endpoint;
        if (end >= 3 && parts[end - 1].equals("acceptance") && parts[end - 2].equals("licence")) {
            endpoint = "licence/acceptance";
            end -= 2;
        } else if (end >= 2 && ENDPOINTS.contains(parts[end - 1])) {
            endpoint = parts[end - 1];
            end -= 1;
        } else {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint: use /berth/v1/repositories/REPO/settings,"
                    + " .../licence, .../licence/acceptance, .../tags, .../history, .../restore or .../trust");
        }
        String repository = String.join("/", Arrays.copyOfRange(parts, 1, end));
        if (!Names.isRepository(repository)) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name \"" + repository + "\"");
        }
        if (TAG_ENDPOINTS.contains(endpoint)) {
            tagHistory.handle(call, repository, endpoint);
            return;
        }
        if (endpoint.equals("trust")) {
            trust.handle(call, repository);
            return;
        }
        Settings settings = access.repositorySettings().of(repository).orElse(Settings.none(repository));
        switch (endpoint + " " + call.method()) {
            case "settings GET" -> {
                requireVisible(call, repository);
                call.ok(200, settingsJson(settings));
            }
            case "settings PUT" -> change(call, settings);
            case "licence GET" -> call.ok(200, licenceJson(call, repository, requireLicence(call, settings)));
            case "licence/acceptance POST" -> accept(call, repository, requireLicence(call, settings));
            default -> throw methodNotAllowed(call.method());
        }
    }

    private void change(ApiCall call, Settings current) throws IOException {
        String repository = current.repository();
        Projects.Project project = access.projects().byName(AccessPolicy.projectOf(repository))
                .orElseThrow(() -> new RegistryException(ErrorCode.NAME_UNKNOWN, "project " + AccessPolicy.projectOf(repository)
                        + " does not exist: create it first"));
        call.requireSignedIn("changing repository settings");
        boolean maintainer = access.policy().roleIn(call.caller(), Optional.of(project))
                .filter(role -> role.compareTo(Role.MAINTAINER) >= 0).isPresent();
        if (!call.caller().admin() && !maintainer) {
            throw new RegistryException(ErrorCode.DENIED, "the settings of " + repository + " are changed by the maintainers"
                    + " of project " + project.name());
        }
        JsonNode body = call.body();
        SharingClass sharing = !body.has("class") ? current.sharing()
                : body.get("class").isNull() ? null : ApiCall.parse(() -> SharingClass.parse(body.get("class").asText()));
        Conditions conditions = sharing == null ? Conditions.NONE : ProjectsResource.conditions(body, current.conditions());
        Licence licence = body.has("licence") ? licence(body.get("licence")) : current.licence();
        Settings changed = new Settings(repository, sharing, conditions, licence);
        access.repositorySettings().put(changed);
        access.audit().append(call.caller().name(), call.address(), "repository-settings", repository
                + " class=" + (sharing == null ? "inherit" : sharing.label())
                + (licence == null ? "" : " licence=" + licence.spdx() + (licence.mustBeAccepted() ? " " + licence.digest() : "")),
                true);
        call.ok(200, settingsJson(changed));
    }

    private void accept(ApiCall call, String repository, Licence licence) throws IOException {
        call.requireSignedIn("accepting a licence");
        if (call.caller().robot()) {
            throw new RegistryException(ErrorCode.DENIED, "a robot cannot accept a licence: a person must");
        }
        if (!licence.mustBeAccepted()) {
            throw new RegistryException(ErrorCode.DENIED, 400, "the licence of " + repository + " (" + licence.spdx()
                    + ") has no text to accept: pulling does not wait for it");
        }
        String digest = ApiCall.text(call.body(), "digest");
        if (!digest.equals(licence.digest())) {
            throw new RegistryException(ErrorCode.DENIED, 409, "the licence of " + repository + " is now " + licence.digest()
                    + ", not " + digest + ": read it again with `berth licence show` before accepting");
        }
        String accountId = access.accounts().byName(call.caller().name()).orElseThrow().id();
        access.licences().accept(accountId, repository, licence.digest());
        access.audit().append(call.caller().name(), call.address(), "licence-accepted", repository + " "
                + licence.spdx() + " " + licence.digest(), true);
        call.ok(201, licenceJson(call, repository, licence));
    }

    private Licence requireLicence(ApiCall call, Settings settings) {
        requireVisible(call, settings.repository());
        if (settings.licence() == null) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + settings.repository() + " carries no licence");
        }
        return settings.licence();
    }

    /** Those who could pull from the repository once they accept its licence may read about it. */
    private void requireVisible(ApiCall call, String repository) {
        if (access.policy().visible(call.caller(), call.address(), new TreeSet<>(List.of(repository))).isEmpty()) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + repository
                    + " does not exist or you may not pull from it");
        }
    }

    private static Licence licence(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isObject()) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"licence\" must be an object {spdx, text} or null");
        }
        String spdx = ApiCall.text(json, "spdx").strip();
        if (!SPDX.matcher(spdx).matches()) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "\"" + spdx + "\" is not an SPDX licence expression"
                    + " (e.g. MIT, GPL-3.0-or-later, LicenseRef-academic-only)");
        }
        if (!json.hasNonNull("text")) {
            return new Licence(spdx, null, null);
        }
        String text = json.get("text").asText();
        if (text.isBlank() || text.length() > MAX_LICENCE_TEXT) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "a licence text must hold 1 to " + MAX_LICENCE_TEXT
                    + " characters");
        }
        return new Licence(spdx, text, Digest.of(text.getBytes(StandardCharsets.UTF_8)).toString());
    }

    private ObjectNode licenceJson(ApiCall call, String repository, Licence licence) {
        ObjectNode json = Json.mapper().createObjectNode().put("repository", repository).put("spdx", licence.spdx()).put("text", licence.text())
                .put("digest", licence.digest()).put("required", licence.mustBeAccepted());
        Optional<Instant> accepted = call.caller().anonymous() || !licence.mustBeAccepted() ? Optional.empty()
                : access.licences().acceptedAt(call.caller().name(), repository, licence.digest());
        json.put("accepted", accepted.isPresent());
        json.put("acceptedAt", accepted.map(Instant::toString).orElse(null));
        return json;
    }

    private static ObjectNode settingsJson(Settings settings) {
        ObjectNode json = Json.mapper().createObjectNode().put("repository", settings.repository());
        json.put("class", settings.sharing() == null ? null : settings.sharing().label());
        ProjectsResource.putConditions(json, settings.conditions());
        Licence licence = settings.licence();
        if (licence == null) {
            json.putNull("licence");
        } else {
            json.putObject("licence").put("spdx", licence.spdx()).put("digest", licence.digest())
                    .put("required", licence.mustBeAccepted());
        }
        return json;
    }
}
