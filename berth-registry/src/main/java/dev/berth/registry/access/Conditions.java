package dev.berth.registry.access;

import java.util.ArrayList;
import java.util.List;

/**
 * What the {@code restricted} class asks of someone who is not a member before they may pull:
 * to be in one of {@code groups}, and to come from one of {@code networks}. An empty list is no
 * such condition; a group condition needs a signed-in user, a network condition alone does not.
 */
public record Conditions(List<String> groups, List<Network> networks) {
    public static final Conditions NONE = new Conditions(List.of(), List.of());

    public Conditions {
        groups = List.copyOf(groups);
        networks = List.copyOf(networks);
    }

    public boolean holdFor(Principal principal, String address) {
        boolean inGroup = groups.isEmpty() ? !principal.anonymous() || !networks.isEmpty()
                : groups.stream().anyMatch(principal.groups()::contains);
        boolean inNetwork = networks.isEmpty() || networks.stream().anyMatch(network -> network.contains(address));
        return inGroup && inNetwork;
    }

    /** Why they do not hold, for a denial message. */
    public String unmetFor(Principal principal, String address) {
        List<String> unmet = new ArrayList<>();
        if (!groups.isEmpty() && groups.stream().noneMatch(principal.groups()::contains)) {
            unmet.add("membership of " + (groups.size() == 1 ? "group " + groups.getFirst() : "one of the groups " + String.join(", ", groups)));
        } else if (groups.isEmpty() && networks.isEmpty() && principal.anonymous()) {
            unmet.add("a signed-in user");
        }
        if (!networks.isEmpty() && networks.stream().noneMatch(network -> network.contains(address))) {
            unmet.add("a client address in " + String.join(", ", networks.stream().map(Network::toString).toList()));
        }
        return String.join(" and ", unmet);
    }

    /** From the stored, space-separated lists. */
    public static Conditions parse(String groupsText, String networksText) {
        List<Network> networks = new ArrayList<>();
        for (String network : words(networksText)) {
            networks.add(Network.parse(network));
        }
        return new Conditions(words(groupsText), networks);
    }

    public String groupsText() {
        return String.join(" ", groups);
    }

    public String networksText() {
        return String.join(" ", networks.stream().map(Network::toString).toList());
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text == null ? new String[0] : text.strip().split("[\\s,]+")) {
            if (!word.isEmpty() && !words.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }
}
