package com.emaileventhub;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages form a one-way stack in the order of the flow: a package may use those listed before it,
 * never one listed after it. The composition root (Hub, HubApp) sits on top of all of them.
 */
class PackageStackTest {
    private static final String BASE = "com.emaileventhub.";
    /** Lowest first. */
    static final List<String> STACK = List.of("config", "event", "webhook", "telemetry", "store", "verify", "esp",
            "http", "intake", "destination", "api", "observe");

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.emaileventhub");

    @Test
    void each_package_uses_only_the_packages_below_it() {
        for (int i = 0; i < STACK.size(); i++) {
            String[] above = Stream.concat(STACK.subList(i + 1, STACK.size()).stream().map(p -> BASE + p + ".."),
                    Stream.of("com.emaileventhub")).toArray(String[]::new);
            noClasses().that().resideInAPackage(BASE + STACK.get(i) + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(above)
                    .because(STACK.get(i) + " sits below " + String.join(", ", STACK.subList(i + 1, STACK.size())))
                    .allowEmptyShould(true)
                    .check(CLASSES);
        }
    }

    @Test
    void every_package_has_its_place_in_the_stack() {
        String[] known = Stream.concat(STACK.stream().map(p -> BASE + p + ".."), Stream.of("com.emaileventhub"))
                .toArray(String[]::new);
        classes().should().resideInAnyPackage(known)
                .because("a new package must be added to PackageStackTest.STACK at its level")
                .check(CLASSES);
    }
}
