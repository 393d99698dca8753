package dev.caravan.ingest.imports;

import java.util.ArrayList;
import java.util.List;

import dev.caravan.customer.ErasureContext;
import dev.caravan.customer.ErasureResult;
import dev.caravan.customer.PersonalDataHolder;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Import error reports in data-subject requests. A rejected row never became a customer, so its error is not linked
 * by customer id: erasure reads every error report and deletes those whose text names one of the person's e-mails,
 * phones or names (a scan, acceptable for a rare request; error reports are bounded by the imports' error limits).
 */
@Component
class ImportPersonalData implements PersonalDataHolder {

    private final MongoTemplate mongo;

    ImportPersonalData(MongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public String section() {
        return "importErrors";
    }

    @Override
    public Object export(String customerId) {
        return List.of(); // rejected rows belong to no customer; erasure finds them by contact data
    }

    @Override
    public ErasureResult erase(ErasureContext ctx) {
        List<String> ids = new ArrayList<>();
        try (var all = mongo.stream(new Query(), ImportError.class)) {
            all.forEach(e -> {
                if (ctx.mentions(e.reason()) || ctx.mentions(e.id())) ids.add(e.id());
            });
        }
        long deleted = 0;
        for (int i = 0; i < ids.size(); i += 64) {
            deleted += mongo.remove(Query.query(Criteria.where("_id").in(ids.subList(i, Math.min(ids.size(), i + 64)))),
                    ImportError.class).getDeletedCount();
        }
        return ErasureResult.builder().count("importErrorsDeleted", deleted)
                .note("error reports of rejected import rows naming the person are deleted").build();
    }
}
