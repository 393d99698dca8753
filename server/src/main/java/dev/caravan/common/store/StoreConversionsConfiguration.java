package dev.caravan.common.store;

import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.convert.PropertyValueConverterFactory;
import org.springframework.data.mongodb.core.convert.MongoCustomConversions;

/**
 * Registers every feature's {@link StoreConverters} with Spring Data MongoDB, keeping BigDecimal as Decimal128.
 * Property value converters named by {@code @ValueConverter} (e.g. {@code security.Encrypted}) are taken from the
 * application context when they are beans, so they can use other beans (keys).
 */
@Configuration(proxyBeanMethods = false)
class StoreConversionsConfiguration {

    @Bean
    MongoCustomConversions mongoCustomConversions(List<StoreConverters> features, BeanFactory beans) {
        List<Object> all = features.stream().flatMap(f -> f.converters().stream()).map(Object.class::cast).toList();
        return MongoCustomConversions.create(c -> {
            c.bigDecimal(MongoCustomConversions.BigDecimalRepresentation.DECIMAL128);
            c.registerConverters(all);
            c.registerPropertyValueConverterFactory(PropertyValueConverterFactory.caching(
                    PropertyValueConverterFactory.chained(PropertyValueConverterFactory.beanFactoryAware(beans),
                            PropertyValueConverterFactory.simple())));
        });
    }
}
