// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Umbrella header: includes the whole public API of techmatch.

#ifndef TECHMATCH_TECHMATCH_H_
#define TECHMATCH_TECHMATCH_H_

#include "techmatch/analyzer.h"
#include "techmatch/assign.h"
#include "techmatch/assign_graph.h"
#include "techmatch/assignment.h"
#include "techmatch/calibration.h"
#include "techmatch/c.h"
#include "techmatch/dense_index.h"
#include "techmatch/embedder.h"
#include "techmatch/engine.h"
#include "techmatch/engine_options.h"
#include "techmatch/export.h"
#include "techmatch/filter.h"
#include "techmatch/lexical_options.h"
#include "techmatch/fit.h"
#include "techmatch/match.h"
#include "techmatch/record.h"
#include "techmatch/record_io.h"
#include "techmatch/scorer.h"
#include "techmatch/status.h"
#include "techmatch/synonyms.h"
#include "techmatch/term.h"
#include "techmatch/types.h"
#include "techmatch/utf8.h"
#include "techmatch/version.h"

#endif  // TECHMATCH_TECHMATCH_H_
