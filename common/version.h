/* The one version of chartgate, chartgated and chartgate-softkey: they ship and speak together. */
#ifndef CHARTGATE_VERSION_H
#define CHARTGATE_VERSION_H

#define CHARTGATE_VERSION "0.1.0"

#endif
