package dev.caravan.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ContactNormalizerTest {

    final ContactNormalizer n = new ContactNormalizer(new IdentityProperties(
            List.of("marketplace.amazon.*", "members.ebay.*"), List.of("shopify"), "US"));

    @Test
    void phonesBecomeE164UsingTheRecordsCountry() {
        assertThat(n.phone("+49 151 2345-6789", null)).isEqualTo("+4915123456789");
        assertThat(n.phone("0151 23456789", "DE")).isEqualTo("+4915123456789");
        assertThat(n.phone("(415) 555-0132", null)).isEqualTo("+14155550132");
        assertThatThrownBy(() -> n.phone("12", "DE")).hasMessageContaining("not a valid phone number");
        assertThatThrownBy(() -> n.phone("call me", null)).hasMessageContaining("not a phone number");
    }

    @Test
    void emailsAreLowerCasedAndRelayAddressesRecognised() {
        assertThat(n.email(" Ann.Lee@Example.COM ")).isEqualTo("ann.lee@example.com");
        assertThat(n.isRelayEmail("x1@marketplace.amazon.co.uk")).isTrue();
        assertThat(n.isRelayEmail("x1@marketplace.amazon.de")).isTrue();
        assertThat(n.isRelayEmail("bob@members.ebay.com")).isTrue();
        assertThat(n.isRelayEmail("bob@amazon.com")).isFalse();
        assertThatThrownBy(() -> n.email("bob@")).hasMessageContaining("not an e-mail address");
    }

    @Test
    void countriesFromCodesAndNames() {
        assertThat(n.country("de")).isEqualTo("DE");
        assertThat(n.country("Germany")).isEqualTo("DE");
        assertThat(n.country("EIRE")).isEqualTo("IE");
        assertThat(n.country("RSA")).isEqualTo("ZA");
        assertThat(Countries.toCode("European Community")).isEmpty();
        assertThat(Countries.toCode("Unspecified")).isEmpty();
    }

    @Test
    void buyerKeysAreScopedToTheStoreOnlyWhereIdsAre() {
        assertThat(n.buyerKey("Shopify", "eu", "7")).isEqualTo("buyer:shopify/eu:7");
        assertThat(n.buyerKey("ebay", "any-store", "bob")).isEqualTo("buyer:ebay:bob");
    }

    @Test
    void languagesAndZones() {
        assertThat(n.language("zh_CN")).isEqualTo("zh-CN");
        assertThat(n.timezone("Asia/Shanghai")).isEqualTo("Asia/Shanghai");
        assertThatThrownBy(() -> n.timezone("Mars/Olympus")).hasMessageContaining("IANA");
    }
}
