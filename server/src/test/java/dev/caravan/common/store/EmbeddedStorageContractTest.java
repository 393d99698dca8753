package dev.caravan.common.store;

import dev.caravan.test.CaravanTest;

/** The storage contract on the embedded store (every build). */
@CaravanTest
class EmbeddedStorageContractTest extends StorageContract {
}
