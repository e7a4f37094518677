package dev.berth.build;

import dev.berth.build.dockerfile.Dockerfile;
import dev.berth.build.dockerfile.DockerfileSyntaxException;
import dev.berth.build.dockerfile.Instruction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** One stage of a recipe: from its FROM to the next; {@code name} from {@code FROM image AS name}. */
record Stage(int index, Optional<String> name, Instruction from, List<Instruction> steps) {
    Stage {
        steps = List.copyOf(steps);
    }

    /** The ARGs before the first FROM, and the stages. */
    record Recipe(List<Instruction> globalArguments, List<Stage> stages) {
    }

    static Recipe split(Dockerfile dockerfile) {
        List<Instruction> global = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction from = null;
        List<Instruction> steps = new ArrayList<>();
        for (Instruction instruction : dockerfile.instructions()) {
            if (instruction.keyword().equals("FROM")) {
                if (from != null) {
                    stages.add(stage(stages.size(), from, steps, dockerfile.file()));
                }
                from = instruction;
                steps = new ArrayList<>();
            } else if (from == null) {
                global.add(instruction);
            } else {
                steps.add(instruction);
            }
        }
        stages.add(stage(stages.size(), from, steps, dockerfile.file()));
        return new Recipe(global, stages);
    }

    private static Stage stage(int index, Instruction from, List<Instruction> steps, String file) {
        String[] words = from.arguments().strip().split("\\s+");
        Optional<String> name = Optional.empty();
        int count = words.length;
        if (count >= 3 && words[count - 2].equalsIgnoreCase("AS")) {
            name = Optional.of(words[count - 1].toLowerCase(Locale.ROOT));
        } else if (count != 1 && !(count >= 2 && words[0].startsWith("--"))) {
            throw new DockerfileSyntaxException(file, from.line(), "FROM takes an image and optionally AS NAME, not: " + from.arguments());
        }
        return new Stage(index, name, from, steps);
    }

    /** The image FROM names, before expansion: the words before {@code AS}, less flags. */
    String baseText() {
        String[] words = from.arguments().strip().split("\\s+");
        int end = name.isPresent() ? words.length - 2 : words.length;
        for (int i = 0; i < end; i++) {
            if (!words[i].startsWith("--")) {
                return words[i];
            }
        }
        return "";
    }

    boolean answersTo(String reference) {
        return name.map(n -> n.equals(reference.toLowerCase(Locale.ROOT))).orElse(false) || reference.equals(Integer.toString(index));
    }
}
