package dev.caravan.workflow;

import java.util.Collection;
import java.util.Set;

import dev.caravan.campaign.JourneyParticipation;
import org.springframework.stereotype.Component;

/** Campaigns' suppression "exclude customers in a journey": customers holding a running slot in any journey. */
@Component
class CampaignParticipation implements JourneyParticipation {

    private final JourneyRuntime runtime;

    CampaignParticipation(JourneyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Set<String> inJourney(Collection<String> customerIds) {
        return runtime.participations.withRunningJourney(customerIds);
    }
}
