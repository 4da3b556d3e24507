package dev.handshake;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.handshake.tls.crypto.CryptoProviders;
import dev.handshake.tls.crypto.JcaCryptoProvider;
import java.time.Clock;
import java.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * The engine's shape, enforced (STYLE.md, "The shape of the house"): {@code dev.handshake.tls} is a sans-IO library
 * that knows nothing of Spring, Netty, sockets, threads or the service built on it. Main code only: tests of the engine
 * may use sockets and threads to talk to real peers.
 */
@AnalyzeClasses(packages = "dev.handshake", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ENGINE = "dev.handshake.tls..";

    @ArchTest
    static final ArchRule engineDoesNotUseSpring = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("the engine is a plain library; the service wires it into Spring");

    @ArchTest
    static final ArchRule engineDoesNotUseNetty = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAPackage("io.netty..")
            .because("the engine is sans-IO: bytes in, bytes out; Netty handlers live in the service");

    @ArchTest
    static final ArchRule engineDoesNoNetworking = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage("java.net..", "javax.net..")
            .because("the engine is sans-IO and implements TLS itself: no sockets, no name lookups, no JSSE");

    @ArchTest
    static final ArchRule engineDoesNotKnowTheService = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAPackage("dev.handshake.service..")
            .because("one arrow only: the service uses the engine, never the reverse");

    @ArchTest
    static final ArchRule engineStartsNoThreads = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().belongToAnyOf(Thread.class, Executor.class, ExecutorService.class,
                    Executors.class, ScheduledExecutorService.class, ThreadPoolExecutor.class, ForkJoinPool.class,
                    CompletableFuture.class, Timer.class)
            .because("the engine is a pure function of state and input; the caller owns threads and scheduling");

    /**
     * STYLE.md: no clock in the engine; time comes through {@code CryptoProvider.now()} so tests can pin it. The
     * exceptions are the seam itself and its factory, which supply the system clock to production configurations.
     */
    @ArchTest
    static final ArchRule engineReadsNoClock = noClasses().that().resideInAPackage(ENGINE)
            .and().doNotBelongToAnyOf(JcaCryptoProvider.class, CryptoProviders.class)
            .should().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(System.class, "nanoTime")
            .orShould().callMethodWhere(target(name("now")).and(target(owner(resideInAPackage("java.time")))))
            .orShould().dependOnClassesThat().belongToAnyOf(Clock.class)
            .because("time comes in through CryptoProvider.now(), so a test can replay a handshake at a fixed instant");
}
