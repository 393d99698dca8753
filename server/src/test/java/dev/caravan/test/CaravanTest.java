package dev.caravan.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole server on a random port with an in-memory embedded store, no demo data and the admin password
 * {@value TestApi#ADMIN_PASSWORD}. Spring caches the context, so test classes share one server: call
 * {@link TestStore#clear()} before each test that needs an empty store.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import({TestApi.class, TestStore.class})
public @interface CaravanTest {
}
