/* levering.c — see levering.h. */
#include "levering.h"

#include "banned.h"

const char *levering_kind_name(enum levering_kind kind)
{
	switch (kind) {
	case LEVERING_REGISTER: return "register";
	case LEVERING_INKOMEN: return "inkomen";
	case LEVERING_SIGNALEN: return "signalen";
	case LEVERING_PAIN002: return "pain002";
	case LEVERING_CAMT053: return "camt053";
	case LEVERING_CAMT054: return "camt054";
	case LEVERING_ONBEKEND:
	default: return "onbekend";
	}
}
