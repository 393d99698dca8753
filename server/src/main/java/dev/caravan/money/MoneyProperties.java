package dev.caravan.money;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param baseCurrency the shop's reporting currency: every amount is also stored converted to it
 */
@ConfigurationProperties("caravan.money")
public record MoneyProperties(@DefaultValue("USD") String baseCurrency) {
}
