package dev.caravan.common.store;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;

/** Registers every feature's {@link StoreConverters} with Spring Data MongoDB, keeping BigDecimal as Decimal128. */
@Configuration(proxyBeanMethods = false)
class StoreConversionsConfiguration {

    @Bean
    MongoCustomConversions mongoCustomConversions(List<StoreConverters> features) {
        List<Object> all = features.stream().flatMap(f -> f.converters().stream()).map(Object.class::cast).toList();
        return MongoCustomConversions.create(c -> {
            c.bigDecimal(MongoCustomConversions.BigDecimalRepresentation.DECIMAL128);
            c.registerConverters(all);
        });
    }
}
