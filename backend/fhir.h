/* FHIR R4 AuditEvent resources (shaped per IHE BALP) from audit rows. */
#ifndef CHARTGATED_FHIR_H
#define CHARTGATED_FHIR_H

#include <stddef.h>

#include <jansson.h>

#include "backend/audit.h"
#include "backend/store.h"

#define FHIR_DCM "http://dicom.nema.org/resources/ontology/DCM"
#define FHIR_ACT_REASON "http://terminology.hl7.org/CodeSystem/v3-ActReason"
#define FHIR_CONFIDENTIALITY "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"
#define FHIR_ACT_CODE "http://terminology.hl7.org/CodeSystem/v3-ActCode"

/* One AuditEvent. secs: the row's sections as the store knows them (n of them; a section
 * the store does not know is named by id only, without security labels). */
json_t *fhir_audit_event(const struct audit_row *, const char *user_display,
    const struct section *secs, size_t n);

/* A searchset Bundle of entries (stolen); next_url NULL on the last page. */
json_t *fhir_bundle(json_t *resources, const char *self_url, const char *next_url);

#endif
