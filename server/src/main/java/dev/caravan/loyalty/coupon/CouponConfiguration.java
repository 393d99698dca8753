package dev.caravan.loyalty.coupon;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The stand-in segment membership until the segments feature provides a {@link SegmentMembership} bean. */
@Configuration(proxyBeanMethods = false)
class CouponConfiguration {

    @Bean
    @ConditionalOnMissingBean(SegmentMembership.class)
    SegmentMembership tagSegments() {
        return new SegmentMembership.TagSegments();
    }
}
