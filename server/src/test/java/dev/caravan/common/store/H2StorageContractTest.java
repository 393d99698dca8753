package dev.caravan.common.store;

import dev.caravan.test.CaravanTest;
import org.springframework.test.context.TestPropertySource;

/** The storage contract on the embedded store's H2 file backend, the one the run command uses (every build). */
@CaravanTest
@TestPropertySource(properties = {"caravan.store.embedded-backend=h2",
        "caravan.data-dir=target/h2-contract-${random.uuid}"})
class H2StorageContractTest extends StorageContract {
}
