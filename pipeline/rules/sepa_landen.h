/* Generated from pipeline/rules/sepa_landen.txt by make: edit that file. */
#define SEPA_LANDEN_VERSIE "EPC409-09 v8.0, 24 December 2025"
static const char sepa_landen[][3] = {
	"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR",
	"DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL",
	"PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
	"AD", "AL", "CH", "GB", "GI", "MC", "MD", "ME", "MK", "RS",
	"SM", "VA",
};
