/*
 * fake_nvml.c - a scriptable FAKE NVIDIA Management Library (libnvidia-ml.so.1)
 * for Headroom's tests. It needs no GPU and no NVIDIA header: every type below
 * is declared here with the layout of the real API-13 nvml.h (LP64 Linux).
 *
 * Build (normal, exports current and legacy symbol names):
 *   gcc -shared -fPIC -O2 -Wall -o DIR/libnvidia-ml.so.1 fake_nvml.c \
 *       -Wl,-soname,libnvidia-ml.so.1 -lpthread
 * Build (old driver, only the unversioned / older symbol names):
 *   add -DFAKE_LEGACY_ONLY
 *
 * Behaviour is driven by a scenario file; see README.md next to this file.
 * Test-only control functions (exported in both variants):
 *   int                fakeNvmlLoadScenario(const char *path);   NULL = built-in default
 *   void               fakeNvmlSetTick(unsigned tick);           switch to manual ticks
 *   unsigned long long fakeNvmlCallCount(const char *function);  or "lost:<i>"
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------- */
/* NVML types (own declarations, same values / layouts as nvml.h)            */
/* ------------------------------------------------------------------------- */

typedef enum nvmlReturn_enum {
    NVML_SUCCESS = 0,
    NVML_ERROR_UNINITIALIZED = 1,
    NVML_ERROR_INVALID_ARGUMENT = 2,
    NVML_ERROR_NOT_SUPPORTED = 3,
    NVML_ERROR_NO_PERMISSION = 4,
    NVML_ERROR_ALREADY_INITIALIZED = 5,
    NVML_ERROR_NOT_FOUND = 6,
    NVML_ERROR_INSUFFICIENT_SIZE = 7,
    NVML_ERROR_INSUFFICIENT_POWER = 8,
    NVML_ERROR_DRIVER_NOT_LOADED = 9,
    NVML_ERROR_TIMEOUT = 10,
    NVML_ERROR_IRQ_ISSUE = 11,
    NVML_ERROR_LIBRARY_NOT_FOUND = 12,
    NVML_ERROR_FUNCTION_NOT_FOUND = 13,
    NVML_ERROR_CORRUPTED_INFOROM = 14,
    NVML_ERROR_GPU_IS_LOST = 15,
    NVML_ERROR_RESET_REQUIRED = 16,
    NVML_ERROR_OPERATING_SYSTEM = 17,
    NVML_ERROR_LIB_RM_VERSION_MISMATCH = 18,
    NVML_ERROR_IN_USE = 19,
    NVML_ERROR_MEMORY = 20,
    NVML_ERROR_NO_DATA = 21,
    NVML_ERROR_VGPU_ECC_NOT_SUPPORTED = 22,
    NVML_ERROR_INSUFFICIENT_RESOURCES = 23,
    NVML_ERROR_FREQ_NOT_SUPPORTED = 24,
    NVML_ERROR_ARGUMENT_VERSION_MISMATCH = 25,
    NVML_ERROR_DEPRECATED = 26,
    NVML_ERROR_NOT_READY = 27,
    NVML_ERROR_GPU_NOT_FOUND = 28,
    NVML_ERROR_INVALID_STATE = 29,
    NVML_ERROR_RESET_TYPE_NOT_SUPPORTED = 30,
    NVML_ERROR_UNKNOWN = 999
} nvmlReturn_t;

typedef struct nvmlDevice_st *nvmlDevice_t;          /* opaque to callers */

typedef struct nvmlPciInfo_st {                      /* sizeof = 68 */
    char busIdLegacy[16];                            /* @0  "dddd:bb:dd.f" */
    unsigned int domain;                             /* @16 */
    unsigned int bus;                                /* @20 */
    unsigned int device;                             /* @24 */
    unsigned int pciDeviceId;                        /* @28 (dev id << 16) | 0x10DE */
    unsigned int pciSubSystemId;                     /* @32 */
    char busId[32];                                  /* @36 "dddddddd:bb:dd.f" */
} nvmlPciInfo_t;

typedef struct nvmlMemory_st {                       /* v1, sizeof = 24 */
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;                         /* reserved + allocated */
} nvmlMemory_t;

typedef struct nvmlMemory_v2_st {                    /* sizeof = 40 */
    unsigned int version;                            /* @0 must be 0x02000028 */
    unsigned long long total;                        /* @8 */
    unsigned long long reserved;                     /* @16 */
    unsigned long long free;                         /* @24 */
    unsigned long long used;                         /* @32 allocated only */
} nvmlMemory_v2_t;

typedef struct nvmlUtilization_st {                  /* sizeof = 8 */
    unsigned int gpu;
    unsigned int memory;
} nvmlUtilization_t;

typedef struct nvmlProcessInfo_v1_st {               /* sizeof = 16 */
    unsigned int pid;                                /* @0 */
    unsigned long long usedGpuMemory;                /* @8 */
} nvmlProcessInfo_v1_t;

typedef struct nvmlProcessInfo_v2_st {               /* sizeof = 24, used by _v2 AND _v3 */
    unsigned int pid;                                /* @0 */
    unsigned long long usedGpuMemory;                /* @8 */
    unsigned int gpuInstanceId;                      /* @16 0xFFFFFFFF when not MIG */
    unsigned int computeInstanceId;                  /* @20 0xFFFFFFFF when not MIG */
} nvmlProcessInfo_v2_t;

#define NVML_MEMORY_V2_VERSION 0x02000028u           /* sizeof(nvmlMemory_v2_t) | 2 << 24 */
#define FAKE_NO_INSTANCE_ID 0xFFFFFFFFu

_Static_assert(sizeof(nvmlPciInfo_t) == 68, "nvmlPciInfo_t must be 68 bytes");
_Static_assert(offsetof(nvmlPciInfo_t, busId) == 36, "nvmlPciInfo_t.busId @36");
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t must be 24 bytes");
_Static_assert(sizeof(nvmlMemory_v2_t) == 40, "nvmlMemory_v2_t must be 40 bytes");
_Static_assert(offsetof(nvmlMemory_v2_t, total) == 8, "nvmlMemory_v2_t.total @8");
_Static_assert(sizeof(nvmlUtilization_t) == 8, "nvmlUtilization_t must be 8 bytes");
_Static_assert(sizeof(nvmlProcessInfo_v1_t) == 16, "nvmlProcessInfo_v1_t must be 16 bytes");
_Static_assert(offsetof(nvmlProcessInfo_v1_t, usedGpuMemory) == 8, "v1 usedGpuMemory @8");
_Static_assert(sizeof(nvmlProcessInfo_v2_t) == 24, "nvmlProcessInfo_v2_t must be 24 bytes");
_Static_assert(offsetof(nvmlProcessInfo_v2_t, gpuInstanceId) == 16, "v2 gpuInstanceId @16");

/* ------------------------------------------------------------------------- */
/* Function table: name, per-device (accepted by `unsupported`)              */
/* The table is the same in both variants, so counters, `sleep` and          */
/* `unsupported` accept every name; the legacy build simply never exports    */
/* (and so never counts) the newer ones.                                      */
/* ------------------------------------------------------------------------- */

#define FAKE_FUNCTIONS(X)                                   \
    X(nvmlInit_v2, 0)                                       \
    X(nvmlInit, 0)                                          \
    X(nvmlShutdown, 0)                                      \
    X(nvmlErrorString, 0)                                   \
    X(nvmlSystemGetDriverVersion, 0)                        \
    X(nvmlSystemGetNVMLVersion, 0)                          \
    X(nvmlSystemGetCudaDriverVersion, 0)                    \
    X(nvmlDeviceGetCount_v2, 0)                             \
    X(nvmlDeviceGetCount, 0)                                \
    X(nvmlDeviceGetHandleByIndex_v2, 1)                     \
    X(nvmlDeviceGetHandleByIndex, 1)                        \
    X(nvmlDeviceGetName, 1)                                 \
    X(nvmlDeviceGetUUID, 1)                                 \
    X(nvmlDeviceGetPciInfo_v3, 1)                           \
    X(nvmlDeviceGetPciInfo_v2, 1)                           \
    X(nvmlDeviceGetUtilizationRates, 1)                     \
    X(nvmlDeviceGetMemoryInfo, 1)                           \
    X(nvmlDeviceGetMemoryInfo_v2, 1)                        \
    X(nvmlDeviceGetTemperature, 1)                          \
    X(nvmlDeviceGetTemperatureThreshold, 1)                 \
    X(nvmlDeviceGetPowerUsage, 1)                           \
    X(nvmlDeviceGetEnforcedPowerLimit, 1)                   \
    X(nvmlDeviceGetPowerManagementLimitConstraints, 1)      \
    X(nvmlDeviceGetTotalEnergyConsumption, 1)               \
    X(nvmlDeviceGetClockInfo, 1)                            \
    X(nvmlDeviceGetMaxClockInfo, 1)                         \
    X(nvmlDeviceGetNumFans, 1)                              \
    X(nvmlDeviceGetFanSpeed_v2, 1)                          \
    X(nvmlDeviceGetFanSpeed, 1)                             \
    X(nvmlDeviceGetPerformanceState, 1)                     \
    X(nvmlDeviceGetCurrentClocksEventReasons, 1)            \
    X(nvmlDeviceGetCurrentClocksThrottleReasons, 1)         \
    X(nvmlDeviceGetEccMode, 1)                              \
    X(nvmlDeviceGetTotalEccErrors, 1)                       \
    X(nvmlDeviceGetCurrPcieLinkGeneration, 1)               \
    X(nvmlDeviceGetCurrPcieLinkWidth, 1)                    \
    X(nvmlDeviceGetPcieThroughput, 1)                       \
    X(nvmlDeviceGetEncoderUtilization, 1)                   \
    X(nvmlDeviceGetDecoderUtilization, 1)                   \
    X(nvmlDeviceGetComputeRunningProcesses_v3, 1)           \
    X(nvmlDeviceGetComputeRunningProcesses_v2, 1)           \
    X(nvmlDeviceGetComputeRunningProcesses, 1)              \
    X(nvmlDeviceGetGraphicsRunningProcesses_v3, 1)          \
    X(nvmlDeviceGetGraphicsRunningProcesses_v2, 1)          \
    X(nvmlDeviceGetGraphicsRunningProcesses, 1)             \
    X(nvmlDeviceGetMigMode, 1)                              \
    X(nvmlDeviceGetPcieReplayCounter, 1)                    \
    X(nvmlDeviceGetRemappedRows, 1)                         \
    X(nvmlDeviceGetFieldValues, 1)                          \
    X(nvmlDeviceGetMarginTemperature, 1)                    \
    X(nvmlDeviceGetProcessUtilization, 1)                   \
    X(nvmlEventSetCreate, 0)                                \
    X(nvmlDeviceGetSupportedEventTypes, 1)                  \
    X(nvmlDeviceRegisterEvents, 1)                          \
    X(nvmlEventSetWait_v2, 0)                               \
    X(nvmlEventSetWait, 0)                                  \
    X(nvmlEventSetFree, 0)                                  \
    X(nvmlGpmQueryDeviceSupport, 1)                         \
    X(nvmlGpmSampleAlloc, 0)                                \
    X(nvmlGpmSampleFree, 0)                                 \
    X(nvmlGpmSampleGet, 1)                                  \
    X(nvmlGpmMetricsGet, 0)                                 \
    X(nvmlDeviceGetMaxMigDeviceCount, 1)                    \
    X(nvmlDeviceGetMigDeviceHandleByIndex, 1)               \
    X(nvmlDeviceGetGpuInstanceId, 0)

enum {
#define FAKE_ENUM(name, dev) FN_##name,
    FAKE_FUNCTIONS(FAKE_ENUM)
#undef FAKE_ENUM
    FN_COUNT
};

static const char *const fn_names[FN_COUNT] = {
#define FAKE_NAME(name, dev) #name,
    FAKE_FUNCTIONS(FAKE_NAME)
#undef FAKE_NAME
};

static const unsigned char fn_per_device[FN_COUNT] = {
#define FAKE_DEV(name, dev) dev,
    FAKE_FUNCTIONS(FAKE_DEV)
#undef FAKE_DEV
};

static int fn_lookup(const char *name)
{
    if (!name) return -1;
    for (int i = 0; i < FN_COUNT; i++)
        if (strcmp(fn_names[i], name) == 0) return i;
    return -1;
}

/* ------------------------------------------------------------------------- */
/* Time series metrics                                                        */
/* ------------------------------------------------------------------------- */

enum {
    M_UTIL_GPU, M_UTIL_MEM, M_MEMORY_USED, M_TEMP, M_POWER_MW, M_ENERGY_MJ,
    M_CLOCK_GRAPHICS, M_CLOCK_SM, M_CLOCK_MEM, M_CLOCK_VIDEO, M_FAN, M_PSTATE,
    M_THROTTLE, M_ECC_CORRECTED, M_ECC_UNCORRECTED, M_PCIE_TX_KBS, M_PCIE_RX_KBS,
    M_ENC, M_DEC, M_MEM_TEMP, M_PCIE_REPLAY, M_REMAP_CORR, M_REMAP_UNC, M_REMAP_FAIL,
    M_GPM_GR, M_GPM_SM, M_GPM_OCC, M_GPM_TENSOR, M_GPM_DRAM, M_NVLINK_TX_KIB, M_NVLINK_RX_KIB, M_FAN1, M_COUNT
};

static const char *const metric_names[M_COUNT] = {
    "util_gpu", "util_mem", "memory_used", "temp", "power_mw", "energy_mj",
    "clock_graphics", "clock_sm", "clock_mem", "clock_video", "fan", "pstate",
    "throttle", "ecc_corrected", "ecc_uncorrected", "pcie_tx_kbs", "pcie_rx_kbs",
    "enc", "dec", "mem_temp", "pcie_replay", "remap_corr", "remap_unc", "remap_fail",
    "gpm_gr", "gpm_sm", "gpm_occ", "gpm_tensor", "gpm_dram", "nvlink_tx_kib", "nvlink_rx_kib", "fan1"
};

/* Largest value a metric may hold (values are returned through these C types). */
static const unsigned long long metric_max[M_COUNT] = {
    0xFFFFFFFFull, 0xFFFFFFFFull, ~0ull, 0xFFFFFFFFull, 0xFFFFFFFFull, ~0ull,
    0xFFFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFull, 15ull,
    ~0ull, ~0ull, ~0ull, 0xFFFFFFFFull, 0xFFFFFFFFull,
    0xFFFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFull, 0xFFFFFFFFull, 1ull,
    100ull, 100ull, 100ull, 100ull, 100ull, ~0ull, ~0ull, 0xFFFFFFFFull
};

#define FAKE_MAX_GPUS 16
#define FAKE_MAX_PROCS 64
#define FAKE_MAX_SERIES 1024
#define FAKE_DEFAULT_ENERGY_BASE_MJ 1000000000ull
#define FAKE_ENC_DEC_PERIOD_US 167000u
#define FAKE_MAX_XIDS 64
#define FAKE_MAX_MIG 7
#define FAKE_NEVER (-1LL)

enum { PROC_COMPUTE = 0, PROC_GRAPHICS = 1 };

typedef struct {
    unsigned n;                                      /* 0 = use the default */
    unsigned long long v[FAKE_MAX_SERIES];
} series_t;

typedef struct {
    unsigned n;
    unsigned pid[FAKE_MAX_PROCS];
    unsigned long long used[FAKE_MAX_PROCS];
    unsigned sm[FAKE_MAX_PROCS];                     /* SM utilization % (nvmlDeviceGetProcessUtilization) */
    unsigned long long from[FAKE_MAX_PROCS];         /* runs from this tick ... */
    long long until[FAKE_MAX_PROCS];                 /* ... until before this one (FAKE_NEVER: for good) */
} proc_list_t;

/* A MIG GPU instance: its handle is a pointer to this, distinct from every GPU handle. */
struct fake_mig {
    unsigned parent;
    unsigned gi_id;
    char profile[24];                                /* "1g.10gb" */
    unsigned long long memory_total, memory_used;
};

struct nvmlDevice_st {
    unsigned index;
    char name[96];
    char uuid[96];
    char bus_id[32];
    char bus_id_legacy[16];
    unsigned domain, bus, device, pci_device_id, pci_subsystem_id;
    unsigned long long memory_total, memory_reserved;
    unsigned power_limit_mw, power_min_mw, power_max_mw;
    unsigned temp_threshold[4];                      /* SHUTDOWN, SLOWDOWN, MEM_MAX, GPU_MAX */
    unsigned clock_max[4];                           /* GRAPHICS, SM, MEM, VIDEO */
    unsigned fans, pcie_gen, pcie_width;
    int ecc;
    int mig, mig_set;
    long long lost_at;                               /* -1 = never */
    long long back_at;                               /* the lost GPU answers again from here; -1 = never */
    unsigned long long calls_after_lost;
    int gpm;                                         /* GPM (Hopper+) supported */
    unsigned nvlinks;                                /* NVLink links (0: none, fields NOT_SUPPORTED) */
    unsigned n_xids;
    unsigned long long xid_tick[FAKE_MAX_XIDS];
    unsigned long long xid_code[FAKE_MAX_XIDS];
    unsigned n_mig;
    struct fake_mig migs[FAKE_MAX_MIG];
    unsigned char unsupported[FN_COUNT];
    series_t series[M_COUNT];
    proc_list_t procs[2];
};

/* ------------------------------------------------------------------------- */
/* Global state                                                               */
/* ------------------------------------------------------------------------- */

enum { SCN_NONE = 0, SCN_OK = 1, SCN_BROKEN = -1 };

static struct {
    int status;                                      /* SCN_* */
    unsigned tick_ms;
    char driver[80];
    char nvml[80];
    int cuda;
    unsigned gpu_count;
    int init_error;
    long long driver_gone_from, driver_gone_until;   /* the driver is unloaded between these ticks */
    unsigned sleep_ms[FN_COUNT];
    unsigned refcount;
    int manual_tick;
    unsigned long long tick;                         /* manual tick */
    unsigned long long load_ms;                      /* monotonic ms at load */
    unsigned long long calls[FN_COUNT];
    struct nvmlDevice_st gpus[FAKE_MAX_GPUS];
} S;

static pthread_mutex_t lock_ = PTHREAD_MUTEX_INITIALIZER;

static void lock(void) { pthread_mutex_lock(&lock_); }
static void unlock(void) { pthread_mutex_unlock(&lock_); }

static unsigned long long monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000ull + (unsigned long long)ts.tv_nsec / 1000000ull;
}

static unsigned long long current_tick(void)
{
    if (S.manual_tick) return S.tick;
    unsigned long long now = monotonic_ms();
    unsigned tms = S.tick_ms ? S.tick_ms : 1000;
    return now >= S.load_ms ? (now - S.load_ms) / tms : 0;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) { }
}

/* ------------------------------------------------------------------------- */
/* Defaults and reset                                                         */
/* ------------------------------------------------------------------------- */

static void format_pci(struct nvmlDevice_st *g, unsigned domain, unsigned bus, unsigned dev, unsigned fn)
{
    unsigned b = bus & 0xFFu, d = dev & 0x1Fu, f = fn & 0x7u, legacy_domain = domain & 0xFFFFu;
    g->domain = domain;
    g->bus = b;
    g->device = d;
    snprintf(g->bus_id, sizeof g->bus_id, "%08X:%02X:%02X.%X", domain, b, d, f);
    snprintf(g->bus_id_legacy, sizeof g->bus_id_legacy, "%04X:%02X:%02X.%X", legacy_domain, b, d, f);
}

static void gpu_defaults(struct nvmlDevice_st *g, unsigned i)
{
    static const unsigned buses[8] = { 0x18, 0x2A, 0x3A, 0x5D, 0x9A, 0xAB, 0xBA, 0xDB };
    memset(g, 0, sizeof *g);
    g->index = i;
    snprintf(g->name, sizeof g->name, "NVIDIA H100 80GB HBM3");
    snprintf(g->uuid, sizeof g->uuid, "GPU-fa4e%04x-0000-4000-8000-%012x", i, 0x1000u + i);
    format_pci(g, 0, i < 8 ? buses[i] : 0x10 + i, 0, 0);
    g->pci_device_id = 0x233010DEu;
    g->pci_subsystem_id = 0x16C110DEu;
    g->memory_total = 85899345920ull;                /* 80 GiB */
    g->memory_reserved = 566231040ull;               /* 540 MiB */
    g->power_limit_mw = 700000;
    g->power_min_mw = 200000;
    g->power_max_mw = 700000;
    g->temp_threshold[0] = 92;                       /* shutdown */
    g->temp_threshold[1] = 89;                       /* slowdown */
    g->temp_threshold[2] = 95;                       /* mem max */
    g->temp_threshold[3] = 87;                       /* gpu max */
    g->clock_max[0] = 1980;
    g->clock_max[1] = 1980;
    g->clock_max[2] = 2619;
    g->clock_max[3] = 1755;
    g->fans = 0;                                     /* passively cooled */
    g->pcie_gen = 5;
    g->pcie_width = 16;
    g->ecc = 1;
    g->mig = 0;
    g->mig_set = 0;
    g->lost_at = -1;
    g->back_at = -1;
    g->gpm = 1;                                      /* an H100 */
    g->nvlinks = 18;
}

static void reset_state(int keep_counters)
{
    unsigned long long calls[FN_COUNT];
    if (keep_counters) memcpy(calls, S.calls, sizeof calls);
    S.status = SCN_NONE;
    S.tick_ms = 1000;
    snprintf(S.driver, sizeof S.driver, "550.54.15");
    snprintf(S.nvml, sizeof S.nvml, "12.550.54.15");
    S.cuda = 12040;
    S.gpu_count = 1;
    S.init_error = 0;
    S.driver_gone_from = FAKE_NEVER;
    S.driver_gone_until = FAKE_NEVER;
    memset(S.sleep_ms, 0, sizeof S.sleep_ms);
    S.refcount = 0;
    S.manual_tick = 0;
    S.tick = 0;
    S.load_ms = monotonic_ms();
    if (keep_counters) memcpy(S.calls, calls, sizeof calls);
    else memset(S.calls, 0, sizeof S.calls);
    for (unsigned i = 0; i < FAKE_MAX_GPUS; i++) gpu_defaults(&S.gpus[i], i);
}

/* Value of a metric that has no series in the scenario. */
static unsigned long long metric_default(const struct nvmlDevice_st *g, int m)
{
    switch (m) {
    case M_TEMP: return 35;
    case M_POWER_MW: return 70000;
    case M_CLOCK_GRAPHICS: return 345;
    case M_CLOCK_SM: return 345;
    case M_CLOCK_MEM: return g->clock_max[2];
    case M_CLOCK_VIDEO: return 765;
    case M_FAN: return 30;
    case M_MEM_TEMP: return 42;
    default: return 0;
    }
}

static unsigned long long metric_at(const struct nvmlDevice_st *g, int m, unsigned long long t)
{
    const series_t *s = &g->series[m];
    if (s->n == 0) {
        if (m == M_ENERGY_MJ) {
            /* Derived: base + integral of power over the elapsed ticks
             * (mW * s = mJ), so it is monotonic and agrees with power_mw. */
            const series_t *p = &g->series[M_POWER_MW];
            unsigned long long sum;
            if (p->n == 0) {
                sum = t * metric_default(g, M_POWER_MW);
            } else {
                unsigned long long cycle = 0, part = 0, rem = t % p->n;
                for (unsigned k = 0; k < p->n; k++) {
                    cycle += p->v[k];
                    if (k < rem) part += p->v[k];
                }
                sum = (t / p->n) * cycle + part;
            }
            return FAKE_DEFAULT_ENERGY_BASE_MJ + sum * (S.tick_ms ? S.tick_ms : 1000) / 1000ull;
        }
        switch (m) {
        /* GPM activity follows the utilization series, so a busy scenario is busy everywhere. */
        case M_GPM_GR: return metric_at(g, M_UTIL_GPU, t);
        case M_GPM_SM: return metric_at(g, M_UTIL_GPU, t) * 9 / 10;
        case M_GPM_OCC: return metric_at(g, M_UTIL_GPU, t) / 2;
        case M_GPM_TENSOR: return metric_at(g, M_UTIL_GPU, t) * 6 / 10;
        case M_GPM_DRAM: return metric_at(g, M_UTIL_MEM, t);
        /* Per-link counters: 1 GiB sent and 512 MiB received per link per tick. */
        case M_NVLINK_TX_KIB: return t * 1048576ull;
        case M_NVLINK_RX_KIB: return t * 524288ull;
        case M_FAN1: return metric_at(g, M_FAN, t);
        default: return metric_default(g, m);
        }
    }
    return s->v[t % s->n];
}

/* ------------------------------------------------------------------------- */
/* Scenario parser                                                            */
/* ------------------------------------------------------------------------- */

typedef struct {
    const char *src;
    unsigned line;
    int gpus_set;
    int max_index;                                   /* highest "gpu <i>" seen, -1 none */
} parse_ctx_t;

static int perr(const parse_ctx_t *c, const char *msg, const char *arg)
{
    fprintf(stderr, "fake_nvml: %s:%u: %s%s%s%s\n", c->src, c->line, msg,
            arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    return -1;
}

static char *next_tok(char **p)
{
    char *s = *p;
    while (*s && isspace((unsigned char)*s)) s++;
    if (!*s) { *p = s; return NULL; }
    char *start = s;
    while (*s && !isspace((unsigned char)*s)) s++;
    if (*s) *s++ = '\0';
    *p = s;
    return start;
}

static char *trim(char *s)
{
    while (*s && isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

/* Decimal, or hexadecimal with a 0x prefix. Whole token must be consumed. */
static int parse_u64(const char *tok, unsigned long long *out)
{
    if (!tok || !*tok || *tok == '-' || *tok == '+') return -1;
    int base = 10;
    if (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X')) { base = 16; tok += 2; if (!*tok) return -1; }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(tok, &end, base);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

static int parse_u32(const char *tok, unsigned *out)
{
    unsigned long long v;
    if (parse_u64(tok, &v) || v > 0xFFFFFFFFull) return -1;
    *out = (unsigned)v;
    return 0;
}

static int parse_int(const char *tok, int *out)
{
    if (!tok || !*tok) return -1;
    char *end;
    errno = 0;
    long v = strtol(tok, &end, 10);
    if (errno || *end || v < -2147483647L - 1 || v > 2147483647L) return -1;
    *out = (int)v;
    return 0;
}

static int parse_bool(const char *tok, int *out)
{
    if (tok && strcmp(tok, "0") == 0) { *out = 0; return 0; }
    if (tok && strcmp(tok, "1") == 0) { *out = 1; return 0; }
    return -1;
}

static int copy_str(const parse_ctx_t *c, char *dst, size_t cap, const char *s, const char *what)
{
    if (!s || !*s) return perr(c, "missing value for", what);
    if (strlen(s) >= cap) return perr(c, "value too long for", what);
    memcpy(dst, s, strlen(s) + 1);
    return 0;
}

/* "dddddddd:bb:dd.f", "dddd:bb:dd.f" or "bb:dd.f" (hex). */
static int parse_bus_id(const char *tok, unsigned *dom, unsigned *bus, unsigned *dev, unsigned *fn)
{
    unsigned a, b, d, f;
    int n = -1;
    if (sscanf(tok, "%x:%x:%x.%x%n", &a, &b, &d, &f, &n) == 4 && n == (int)strlen(tok)) {
        *dom = a; *bus = b; *dev = d; *fn = f;
    } else if (n = -1, sscanf(tok, "%x:%x.%x%n", &b, &d, &f, &n) == 3 && n == (int)strlen(tok)) {
        *dom = 0; *bus = b; *dev = d; *fn = f;
    } else {
        return -1;
    }
    if (*bus > 0xFF || *dev > 0x1F || *fn > 7) return -1;
    return 0;
}

#define NEED_END(p) do { if (next_tok(&(p))) return perr(c, "unexpected extra token after", key); } while (0)

static int parse_gpu_line(parse_ctx_t *c, char *p)
{
    char *idx_tok = next_tok(&p);
    unsigned idx;
    if (parse_u32(idx_tok, &idx) || idx >= FAKE_MAX_GPUS)
        return perr(c, "bad gpu index (0..15)", idx_tok);
    if (c->gpus_set && idx >= S.gpu_count)
        return perr(c, "gpu index >= gpus", idx_tok);
    if ((int)idx > c->max_index) c->max_index = (int)idx;
    struct nvmlDevice_st *g = &S.gpus[idx];
    const char *key = next_tok(&p);
    if (!key) return perr(c, "missing key after gpu index", idx_tok);

    if (strcmp(key, "name") == 0) {
        return copy_str(c, g->name, sizeof g->name, trim(p), key);
    }
    if (strcmp(key, "uuid") == 0) {
        char *v = next_tok(&p);
        if (copy_str(c, g->uuid, sizeof g->uuid, v, key)) return -1;
        NEED_END(p);
        return 0;
    }
    if (strcmp(key, "pci") == 0) {
        char *v = next_tok(&p);
        unsigned dom, bus, dev, fn;
        if (!v || parse_bus_id(v, &dom, &bus, &dev, &fn)) return perr(c, "bad PCI bus id", v);
        format_pci(g, dom, bus, dev, fn);
        NEED_END(p);
        return 0;
    }
    if (strcmp(key, "series") == 0) {
        char *m = next_tok(&p);
        int mi = -1;
        for (int k = 0; m && k < M_COUNT; k++)
            if (strcmp(metric_names[k], m) == 0) mi = k;
        if (mi < 0) return perr(c, "unknown series metric", m);
        series_t *s = &g->series[mi];
        s->n = 0;
        char *v;
        while ((v = next_tok(&p)) != NULL) {
            unsigned long long x;
            if (parse_u64(v, &x)) return perr(c, "bad series value", v);
            if (x > metric_max[mi]) return perr(c, "series value out of range", v);
            if (s->n >= FAKE_MAX_SERIES) return perr(c, "too many series values (max 1024) for", m);
            s->v[s->n++] = x;
        }
        if (s->n == 0) return perr(c, "series needs at least one value for", m);
        return 0;
    }
    if (strcmp(key, "process") == 0) {
        char *kind = next_tok(&p), *pid_tok = next_tok(&p), *mem_tok = next_tok(&p);
        int k;
        if (kind && strcmp(kind, "compute") == 0) k = PROC_COMPUTE;
        else if (kind && strcmp(kind, "graphics") == 0) k = PROC_GRAPHICS;
        else return perr(c, "process kind must be compute or graphics, got", kind);
        unsigned pid;
        unsigned long long mem;
        if (parse_u32(pid_tok, &pid)) return perr(c, "bad process pid", pid_tok);
        if (parse_u64(mem_tok, &mem)) return perr(c, "bad process memory", mem_tok);
        proc_list_t *l = &g->procs[k];
        if (l->n >= FAKE_MAX_PROCS) return perr(c, "too many processes (max 64) of kind", kind);
        unsigned sm = 0;
        unsigned long long from = 0, until = 0;
        int has_until = 0;
        char *opt;
        while ((opt = next_tok(&p)) != NULL) {
            char *v = next_tok(&p);
            if (strcmp(opt, "sm") == 0) {
                if (parse_u32(v, &sm) || sm > 100) return perr(c, "bad process sm % (0..100)", v);
            } else if (strcmp(opt, "from") == 0) {
                if (parse_u64(v, &from)) return perr(c, "bad process from tick", v);
            } else if (strcmp(opt, "until") == 0) {
                if (parse_u64(v, &until) || until > 0x7FFFFFFFFFFFFFFFull) return perr(c, "bad process until tick", v);
                has_until = 1;
            } else {
                return perr(c, "process options are sm, from and until, got", opt);
            }
        }
        l->pid[l->n] = pid;
        l->used[l->n] = mem;
        l->sm[l->n] = sm;
        l->from[l->n] = from;
        l->until[l->n] = has_until ? (long long)until : FAKE_NEVER;
        l->n++;
        return 0;
    }
    if (strcmp(key, "unsupported") == 0) {
        char *fn = next_tok(&p);
        int f = fn_lookup(fn);
        if (f < 0) return perr(c, "unknown NVML function", fn);
        if (!fn_per_device[f]) return perr(c, "not a per-device function", fn);
        NEED_END(p);
        g->unsupported[f] = 1;
        return 0;
    }
    if (strcmp(key, "lost_at") == 0) {
        char *v = next_tok(&p);
        unsigned long long t;
        if (parse_u64(v, &t) || t > 0x7FFFFFFFFFFFFFFFull) return perr(c, "bad lost_at tick", v);
        NEED_END(p);
        g->lost_at = (long long)t;
        return 0;
    }
    if (strcmp(key, "back_at") == 0) {
        char *v = next_tok(&p);
        unsigned long long t;
        if (parse_u64(v, &t) || t > 0x7FFFFFFFFFFFFFFFull) return perr(c, "bad back_at tick", v);
        NEED_END(p);
        g->back_at = (long long)t;
        return 0;
    }
    if (strcmp(key, "xid") == 0) {
        char *tick = next_tok(&p), *code = next_tok(&p);
        unsigned long long t, x;
        if (parse_u64(tick, &t)) return perr(c, "bad xid tick", tick);
        if (parse_u64(code, &x)) return perr(c, "bad xid code", code);
        NEED_END(p);
        if (g->n_xids >= FAKE_MAX_XIDS) return perr(c, "too many xid events (max 64) for gpu", idx_tok);
        if (g->n_xids > 0 && t < g->xid_tick[g->n_xids - 1]) return perr(c, "xid events must be in tick order", tick);
        g->xid_tick[g->n_xids] = t;
        g->xid_code[g->n_xids] = x;
        g->n_xids++;
        return 0;
    }
    if (strcmp(key, "mig_instance") == 0) {
        char *id = next_tok(&p), *profile = next_tok(&p), *total = next_tok(&p), *used = next_tok(&p);
        unsigned gi;
        unsigned long long tb, ub;
        if (parse_u32(id, &gi)) return perr(c, "bad GPU instance id", id);
        if (!profile || strlen(profile) >= sizeof g->migs[0].profile) return perr(c, "bad MIG profile", profile);
        if (parse_u64(total, &tb) || parse_u64(used, &ub) || ub > tb) return perr(c, "bad MIG memory (total used)", total);
        NEED_END(p);
        if (g->n_mig >= FAKE_MAX_MIG) return perr(c, "too many MIG instances (max 7) for gpu", idx_tok);
        struct fake_mig *m = &g->migs[g->n_mig++];
        m->parent = idx;
        m->gi_id = gi;
        memcpy(m->profile, profile, strlen(profile) + 1);
        m->memory_total = tb;
        m->memory_used = ub;
        return 0;
    }
    if (strcmp(key, "memory_total") == 0 || strcmp(key, "memory_reserved") == 0) {
        char *v = next_tok(&p);
        unsigned long long x;
        if (parse_u64(v, &x)) return perr(c, "bad byte count", v);
        NEED_END(p);
        if (key[7] == 't') g->memory_total = x; else g->memory_reserved = x;
        return 0;
    }
    if (strcmp(key, "gpm") == 0) {
        char *v = next_tok(&p);
        if (parse_bool(v, &g->gpm)) return perr(c, "expected 0 or 1, got", v);
        NEED_END(p);
        return 0;
    }
    if (strcmp(key, "ecc") == 0 || strcmp(key, "mig") == 0) {
        char *v = next_tok(&p);
        int b;
        if (parse_bool(v, &b)) return perr(c, "expected 0 or 1, got", v);
        NEED_END(p);
        if (key[0] == 'e') g->ecc = b; else { g->mig = b; g->mig_set = 1; }
        return 0;
    }

    /* Plain unsigned-int keys. */
    static const struct { const char *name; size_t off; } ukeys[] = {
        { "power_limit_mw", offsetof(struct nvmlDevice_st, power_limit_mw) },
        { "power_min_mw", offsetof(struct nvmlDevice_st, power_min_mw) },
        { "power_max_mw", offsetof(struct nvmlDevice_st, power_max_mw) },
        { "temp_shutdown", offsetof(struct nvmlDevice_st, temp_threshold) + 0 * sizeof(unsigned) },
        { "temp_slowdown", offsetof(struct nvmlDevice_st, temp_threshold) + 1 * sizeof(unsigned) },
        { "temp_mem_max", offsetof(struct nvmlDevice_st, temp_threshold) + 2 * sizeof(unsigned) },
        { "temp_gpu_max", offsetof(struct nvmlDevice_st, temp_threshold) + 3 * sizeof(unsigned) },
        { "clock_max_graphics", offsetof(struct nvmlDevice_st, clock_max) + 0 * sizeof(unsigned) },
        { "clock_max_sm", offsetof(struct nvmlDevice_st, clock_max) + 1 * sizeof(unsigned) },
        { "clock_max_mem", offsetof(struct nvmlDevice_st, clock_max) + 2 * sizeof(unsigned) },
        { "clock_max_video", offsetof(struct nvmlDevice_st, clock_max) + 3 * sizeof(unsigned) },
        { "fans", offsetof(struct nvmlDevice_st, fans) },
        { "pcie_gen", offsetof(struct nvmlDevice_st, pcie_gen) },
        { "pcie_width", offsetof(struct nvmlDevice_st, pcie_width) },
        { "nvlinks", offsetof(struct nvmlDevice_st, nvlinks) },
        { "pci_device_id", offsetof(struct nvmlDevice_st, pci_device_id) },
        { "pci_subsystem_id", offsetof(struct nvmlDevice_st, pci_subsystem_id) },
    };
    for (size_t k = 0; k < sizeof ukeys / sizeof ukeys[0]; k++) {
        if (strcmp(key, ukeys[k].name) == 0) {
            char *v = next_tok(&p);
            unsigned x;
            if (parse_u32(v, &x)) return perr(c, "bad unsigned value", v);
            NEED_END(p);
            memcpy((char *)g + ukeys[k].off, &x, sizeof x);
            return 0;
        }
    }
    return perr(c, "unknown gpu key", key);
}

static int parse_line(parse_ctx_t *c, char *line)
{
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *p = line;
    const char *key = next_tok(&p);
    if (!key) return 0;

    if (strcmp(key, "gpu") == 0) return parse_gpu_line(c, p);
    if (strcmp(key, "tick_ms") == 0) {
        char *v = next_tok(&p);
        unsigned x;
        if (parse_u32(v, &x) || x == 0) return perr(c, "tick_ms must be a positive integer, got", v);
        NEED_END(p);
        S.tick_ms = x;
        return 0;
    }
    if (strcmp(key, "driver") == 0) {
        if (copy_str(c, S.driver, sizeof S.driver, next_tok(&p), key)) return -1;
        NEED_END(p);
        return 0;
    }
    if (strcmp(key, "nvml") == 0) {
        if (copy_str(c, S.nvml, sizeof S.nvml, next_tok(&p), key)) return -1;
        NEED_END(p);
        return 0;
    }
    if (strcmp(key, "cuda") == 0) {
        char *v = next_tok(&p);
        if (parse_int(v, &S.cuda)) return perr(c, "bad cuda version", v);
        NEED_END(p);
        return 0;
    }
    if (strcmp(key, "gpus") == 0) {
        char *v = next_tok(&p);
        unsigned n;
        if (parse_u32(v, &n) || n > FAKE_MAX_GPUS) return perr(c, "gpus must be 0..16, got", v);
        NEED_END(p);
        if (c->max_index >= (int)n) return perr(c, "gpus is smaller than an index already used:", v);
        S.gpu_count = n;
        c->gpus_set = 1;
        return 0;
    }
    if (strcmp(key, "init_error") == 0) {
        char *v = next_tok(&p);
        if (parse_int(v, &S.init_error)) return perr(c, "bad init_error code", v);
        NEED_END(p);
        return 0;
    }
    if (strcmp(key, "driver_gone") == 0) {
        char *a = next_tok(&p), *b = next_tok(&p);
        unsigned long long from, until;
        if (parse_u64(a, &from) || parse_u64(b, &until) || until <= from || until > 0x7FFFFFFFFFFFFFFFull)
            return perr(c, "driver_gone needs FROM UNTIL ticks, FROM < UNTIL, got", a);
        NEED_END(p);
        S.driver_gone_from = (long long)from;
        S.driver_gone_until = (long long)until;
        return 0;
    }
    if (strcmp(key, "sleep") == 0) {
        char *fn = next_tok(&p), *ms = next_tok(&p);
        int f = fn_lookup(fn);
        unsigned x;
        if (f < 0) return perr(c, "unknown NVML function", fn);
        if (parse_u32(ms, &x)) return perr(c, "bad sleep milliseconds", ms);
        NEED_END(p);
        S.sleep_ms[f] = x;
        return 0;
    }
    return perr(c, "unknown key", key);
}

static int finish_parse(parse_ctx_t *c)
{
    if (!c->gpus_set) S.gpu_count = c->max_index >= 0 ? (unsigned)c->max_index + 1 : 1;
    return 0;
}

static int parse_text(const char *src, const char *text)
{
    parse_ctx_t c = { src, 0, 0, -1 };
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (!buf) { fprintf(stderr, "fake_nvml: out of memory\n"); return -1; }
    memcpy(buf, text, len + 1);
    char *line = buf;
    int rc = 0;
    while (line && rc == 0) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        c.line++;
        rc = parse_line(&c, line);
        line = nl ? nl + 1 : NULL;
    }
    free(buf);
    return rc ? rc : finish_parse(&c);
}

static int parse_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "fake_nvml: cannot open scenario '%s': %s\n", path, strerror(errno));
        return -1;
    }
    parse_ctx_t c = { path, 0, 0, -1 };
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    while (rc == 0 && getline(&line, &cap, f) != -1) {
        c.line++;
        rc = parse_line(&c, line);
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "fake_nvml: error reading scenario '%s'\n", path);
        rc = -1;
    }
    free(line);
    fclose(f);
    return rc ? rc : finish_parse(&c);
}

/* Built-in default: two H100 SXM GPUs with plausible, varying values. */
static const char default_scenario[] =
    "tick_ms 1000\n"
    "driver 550.54.15\n"
    "nvml 12.550.54.15\n"
    "cuda 12040\n"
    "gpus 2\n"
    "gpu 0 name NVIDIA H100 80GB HBM3\n"
    "gpu 0 uuid GPU-5a1f0c3e-8b7d-4e21-9c6a-1d2e3f405060\n"
    "gpu 0 pci 00000000:18:00.0\n"
    "gpu 0 series util_gpu 0 35 87 100 98 92 61 12\n"
    "gpu 0 series util_mem 0 12 41 55 52 47 30 3\n"
    "gpu 0 series memory_used 0 21474836480 42949672960 64424509440 64424509440 53687091200 42949672960 1073741824\n"
    "gpu 0 series temp 33 41 56 68 71 70 62 45\n"
    "gpu 0 series power_mw 72000 215000 530000 690000 700000 655000 420000 110000\n"
    "gpu 0 series clock_graphics 345 1755 1980 1980 1830 1980 1980 1410\n"
    "gpu 0 series clock_sm 345 1755 1980 1980 1830 1980 1980 1410\n"
    "gpu 0 series clock_mem 2619\n"
    "gpu 0 series clock_video 765 1410 1755 1755 1650 1755 1755 1215\n"
    "gpu 0 series pstate 0\n"
    "gpu 0 series throttle 1 0 0 4 68 4 0 0\n"
    "gpu 0 series pcie_tx_kbs 0 180000 520000 840000 610000 330000 95000 1200\n"
    "gpu 0 series pcie_rx_kbs 0 950000 2100000 3400000 2900000 1700000 600000 4000\n"
    "gpu 0 process compute 4242 34359738368\n"
    "gpu 1 name NVIDIA H100 80GB HBM3\n"
    "gpu 1 uuid GPU-0b3c7d2e-9f84-4a16-b5c2-7e8f90a1b2c3\n"
    "gpu 1 pci 00000000:2A:00.0\n"
    "gpu 1 series util_gpu 0 0 3 0 0 0\n"
    "gpu 1 series util_mem 0 0 1 0 0 0\n"
    "gpu 1 series memory_used 0\n"
    "gpu 1 series temp 29 29 30 30 29 29\n"
    "gpu 1 series power_mw 68000 69000 71000 70000 68500 68000\n"
    "gpu 1 series pstate 0\n"
    "gpu 1 series throttle 1\n";

/* Resets and loads; must be called with the lock held. */
static int load_locked(const char *path, int keep_counters)
{
    reset_state(keep_counters);
    int rc = path ? parse_file(path) : parse_text("<built-in default>", default_scenario);
    if (rc != 0) {
        /* Leave the library unusable so a broken scenario cannot pass silently. */
        reset_state(keep_counters);
        S.status = SCN_BROKEN;
        return -1;
    }
    S.status = SCN_OK;
    S.load_ms = monotonic_ms();
    return 0;
}

/* ------------------------------------------------------------------------- */
/* Control API for tests                                                      */
/* ------------------------------------------------------------------------- */

int fakeNvmlLoadScenario(const char *path)
{
    lock();
    int rc = load_locked(path, 0);
    unlock();
    return rc;
}

void fakeNvmlSetTick(unsigned tick)
{
    lock();
    S.manual_tick = 1;
    S.tick = tick;
    unlock();
}

unsigned long long fakeNvmlCallCount(const char *function)
{
    unsigned long long n = 0;
    if (!function) return 0;
    lock();
    if (strncmp(function, "lost:", 5) == 0) {
        unsigned idx;
        if (parse_u32(function + 5, &idx) == 0 && idx < FAKE_MAX_GPUS)
            n = S.gpus[idx].calls_after_lost;
    } else {
        int f = fn_lookup(function);
        if (f >= 0) n = S.calls[f];
    }
    unlock();
    return n;
}

/* ------------------------------------------------------------------------- */
/* Common entry / exit                                                        */
/* ------------------------------------------------------------------------- */

/* Takes the lock, counts the call and performs a scripted `sleep` (with the
 * lock released). Returns with the lock held. */
static void enter(int fn, int lazy_load)
{
    lock();
    S.calls[fn]++;
    if (lazy_load && S.status == SCN_NONE) {
        const char *env = getenv("FAKE_NVML_SCENARIO");
        load_locked(env && *env ? env : NULL, 1);
    }
    unsigned ms = S.sleep_ms[fn];
    if (ms) {
        unlock();
        sleep_ms(ms);
        lock();
    }
}

static int driver_gone(void)
{
    if (S.driver_gone_from < 0) return 0;
    unsigned long long t = current_tick();
    return t >= (unsigned long long)S.driver_gone_from && t < (unsigned long long)S.driver_gone_until;
}

static nvmlReturn_t enter_initialized(int fn)
{
    enter(fn, 0);
    if (driver_gone()) return NVML_ERROR_DRIVER_NOT_LOADED;
    return S.refcount ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
}

static struct nvmlDevice_st *gpu_from_handle(nvmlDevice_t dev)
{
    if (!dev || S.gpu_count == 0) return NULL;
    uintptr_t p = (uintptr_t)dev, base = (uintptr_t)&S.gpus[0];
    if (p < base || p >= base + S.gpu_count * sizeof(struct nvmlDevice_st)) return NULL;
    if ((p - base) % sizeof(struct nvmlDevice_st) != 0) return NULL;
    return &S.gpus[(p - base) / sizeof(struct nvmlDevice_st)];
}

static int gpu_lost(const struct nvmlDevice_st *g, unsigned long long t)
{
    return g->lost_at >= 0 && t >= (unsigned long long)g->lost_at
        && (g->back_at < 0 || t < (unsigned long long)g->back_at);
}

/* A MIG device handle, or NULL. */
static struct fake_mig *mig_from_handle(nvmlDevice_t dev)
{
    uintptr_t p = (uintptr_t)dev;
    for (unsigned i = 0; i < S.gpu_count; i++) {
        struct nvmlDevice_st *g = &S.gpus[i];
        for (unsigned k = 0; k < g->n_mig; k++)
            if (p == (uintptr_t)&g->migs[k]) return &g->migs[k];
    }
    return NULL;
}

/* Entry for every function taking a device handle. On success *g and *t are
 * set. Always returns with the lock held. */
static nvmlReturn_t dev_enter(int fn, nvmlDevice_t dev, struct nvmlDevice_st **g, unsigned long long *t)
{
    nvmlReturn_t r = enter_initialized(fn);
    if (r != NVML_SUCCESS) return r;
    *g = gpu_from_handle(dev);
    if (!*g) return NVML_ERROR_INVALID_ARGUMENT;
    *t = current_tick();
    if (gpu_lost(*g, *t)) {
        (*g)->calls_after_lost++;
        return NVML_ERROR_GPU_IS_LOST;
    }
    if ((*g)->unsupported[fn]) return NVML_ERROR_NOT_SUPPORTED;
    return NVML_SUCCESS;
}

#define DEV_BEGIN(fn)                                               \
    struct nvmlDevice_st *g = NULL;                                 \
    unsigned long long t = 0;                                       \
    nvmlReturn_t r = dev_enter(FN_##fn, dev, &g, &t);               \
    if (r != NVML_SUCCESS) goto out;                                \
    (void)t

#define END                                                         \
    out:                                                            \
    unlock();                                                       \
    return r

#define U32(m) ((unsigned)metric_at(g, (m), t))

/* ------------------------------------------------------------------------- */
/* Library lifetime and system queries                                       */
/* ------------------------------------------------------------------------- */

static nvmlReturn_t impl_init(int fn)
{
    enter(fn, 1);
    nvmlReturn_t r;
    if (S.status != SCN_OK) r = NVML_ERROR_UNKNOWN;
    else if (S.init_error) r = (nvmlReturn_t)S.init_error;
    else if (driver_gone()) r = NVML_ERROR_DRIVER_NOT_LOADED;
    else { S.refcount++; r = NVML_SUCCESS; }
    unlock();
    return r;
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlInit_v2(void) { return impl_init(FN_nvmlInit_v2); }
#endif
nvmlReturn_t nvmlInit(void) { return impl_init(FN_nvmlInit); }

nvmlReturn_t nvmlShutdown(void)
{
    enter(FN_nvmlShutdown, 0);
    nvmlReturn_t r = S.refcount ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED; /* works while the driver is gone */
    if (r == NVML_SUCCESS) S.refcount--;
    unlock();
    return r;
}

const char *nvmlErrorString(nvmlReturn_t result)
{
    enter(FN_nvmlErrorString, 0);
    unlock();
    switch ((int)result) {
    case NVML_SUCCESS: return "Success";
    case NVML_ERROR_UNINITIALIZED: return "Uninitialized";
    case NVML_ERROR_INVALID_ARGUMENT: return "Invalid Argument";
    case NVML_ERROR_NOT_SUPPORTED: return "Not Supported";
    case NVML_ERROR_NO_PERMISSION: return "Insufficient Permissions";
    case NVML_ERROR_ALREADY_INITIALIZED: return "Already Initialized";
    case NVML_ERROR_NOT_FOUND: return "Not Found";
    case NVML_ERROR_INSUFFICIENT_SIZE: return "Insufficient Size";
    case NVML_ERROR_INSUFFICIENT_POWER: return "Insufficient External Power";
    case NVML_ERROR_DRIVER_NOT_LOADED: return "Driver Not Loaded";
    case NVML_ERROR_TIMEOUT: return "Timeout";
    case NVML_ERROR_IRQ_ISSUE: return "Interrupt Request Issue";
    case NVML_ERROR_LIBRARY_NOT_FOUND: return "NVML Shared Library Not Found";
    case NVML_ERROR_FUNCTION_NOT_FOUND: return "Function Not Found";
    case NVML_ERROR_CORRUPTED_INFOROM: return "Corrupted infoROM";
    case NVML_ERROR_GPU_IS_LOST: return "GPU is lost";
    case NVML_ERROR_RESET_REQUIRED: return "GPU requires restart";
    case NVML_ERROR_OPERATING_SYSTEM: return "The operating system has blocked the request.";
    case NVML_ERROR_LIB_RM_VERSION_MISMATCH: return "RM has detected an NVML/RM version mismatch.";
    case NVML_ERROR_IN_USE: return "In use by another client";
    case NVML_ERROR_MEMORY: return "Insufficient Memory";
    case NVML_ERROR_NO_DATA: return "No data";
    case NVML_ERROR_VGPU_ECC_NOT_SUPPORTED: return "ECC is not supported in vGPU";
    case NVML_ERROR_INSUFFICIENT_RESOURCES: return "Insufficient resources";
    case NVML_ERROR_FREQ_NOT_SUPPORTED: return "Frequency not supported";
    case NVML_ERROR_ARGUMENT_VERSION_MISMATCH: return "Argument version mismatch";
    case NVML_ERROR_DEPRECATED: return "Deprecated";
    case NVML_ERROR_NOT_READY: return "Not Ready";
    case NVML_ERROR_GPU_NOT_FOUND: return "GPU not found";
    case NVML_ERROR_INVALID_STATE: return "Invalid state";
    case NVML_ERROR_RESET_TYPE_NOT_SUPPORTED: return "Reset type not supported";
    case NVML_ERROR_UNKNOWN: return "Unknown Error";
    default: return "Unknown Error";
    }
}

static nvmlReturn_t copy_out(char *dst, unsigned len, const char *src)
{
    size_t n = strlen(src);
    if (!dst) return NVML_ERROR_INVALID_ARGUMENT;
    if ((size_t)len < n + 1) return NVML_ERROR_INSUFFICIENT_SIZE;
    memcpy(dst, src, n + 1);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *version, unsigned int length)
{
    nvmlReturn_t r = enter_initialized(FN_nvmlSystemGetDriverVersion);
    if (r == NVML_SUCCESS) r = copy_out(version, length, S.driver);
    unlock();
    return r;
}

nvmlReturn_t nvmlSystemGetNVMLVersion(char *version, unsigned int length)
{
    nvmlReturn_t r = enter_initialized(FN_nvmlSystemGetNVMLVersion);
    if (r == NVML_SUCCESS) r = copy_out(version, length, S.nvml);
    unlock();
    return r;
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion(int *cudaDriverVersion)
{
    nvmlReturn_t r = enter_initialized(FN_nvmlSystemGetCudaDriverVersion);
    if (r == NVML_SUCCESS) {
        if (!cudaDriverVersion) r = NVML_ERROR_INVALID_ARGUMENT;
        else *cudaDriverVersion = S.cuda;
    }
    unlock();
    return r;
}

/* ------------------------------------------------------------------------- */
/* Enumeration                                                                */
/* ------------------------------------------------------------------------- */

static nvmlReturn_t impl_count(int fn, unsigned int *count)
{
    nvmlReturn_t r = enter_initialized(fn);
    if (r == NVML_SUCCESS) {
        if (!count) r = NVML_ERROR_INVALID_ARGUMENT;
        else *count = S.gpu_count;
    }
    unlock();
    return r;
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *deviceCount) { return impl_count(FN_nvmlDeviceGetCount_v2, deviceCount); }
#endif
nvmlReturn_t nvmlDeviceGetCount(unsigned int *deviceCount) { return impl_count(FN_nvmlDeviceGetCount, deviceCount); }

static nvmlReturn_t impl_handle(int fn, unsigned int index, nvmlDevice_t *device)
{
    nvmlReturn_t r = enter_initialized(fn);
    if (r == NVML_SUCCESS) {
        if (!device || index >= S.gpu_count) {
            r = NVML_ERROR_INVALID_ARGUMENT;
        } else {
            struct nvmlDevice_st *g = &S.gpus[index];
            if (gpu_lost(g, current_tick())) r = NVML_ERROR_GPU_IS_LOST;
            else if (g->unsupported[fn]) r = NVML_ERROR_NOT_SUPPORTED;
            else *device = g;
        }
    }
    unlock();
    return r;
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device)
{
    return impl_handle(FN_nvmlDeviceGetHandleByIndex_v2, index, device);
}
#endif
nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int index, nvmlDevice_t *device)
{
    return impl_handle(FN_nvmlDeviceGetHandleByIndex, index, device);
}

/* ------------------------------------------------------------------------- */
/* Identity                                                                   */
/* ------------------------------------------------------------------------- */

/* The few calls a MIG device handle answers here: name, UUID, memory, GPU instance id. */
static nvmlReturn_t mig_text(int fn, struct fake_mig *m, char *out, unsigned length, int uuid)
{
    enter(fn, 0);
    nvmlReturn_t r = S.refcount ? NVML_SUCCESS : NVML_ERROR_UNINITIALIZED;
    if (r == NVML_SUCCESS) {
        char text[128];
        if (uuid) snprintf(text, sizeof text, "MIG-fa4e%04x-0000-4000-8000-%012x", m->parent, m->gi_id);
        else snprintf(text, sizeof text, "%s MIG %s", S.gpus[m->parent].name, m->profile);
        r = copy_out(out, length, text);
    }
    unlock();
    return r;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t dev, char *name, unsigned int length)
{
    struct fake_mig *m = mig_from_handle(dev);
    if (m) return mig_text(FN_nvmlDeviceGetName, m, name, length, 0);
    DEV_BEGIN(nvmlDeviceGetName);
    r = copy_out(name, length, g->name);
    END;
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t dev, char *uuid, unsigned int length)
{
    struct fake_mig *m = mig_from_handle(dev);
    if (m) return mig_text(FN_nvmlDeviceGetUUID, m, uuid, length, 1);
    DEV_BEGIN(nvmlDeviceGetUUID);
    r = copy_out(uuid, length, g->uuid);
    END;
}

static void fill_pci(const struct nvmlDevice_st *g, nvmlPciInfo_t *pci)
{
    memset(pci, 0, sizeof *pci);
    memcpy(pci->busIdLegacy, g->bus_id_legacy, sizeof pci->busIdLegacy);
    pci->domain = g->domain;
    pci->bus = g->bus;
    pci->device = g->device;
    pci->pciDeviceId = g->pci_device_id;
    pci->pciSubSystemId = g->pci_subsystem_id;
    memcpy(pci->busId, g->bus_id, sizeof pci->busId);
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t dev, nvmlPciInfo_t *pci)
{
    DEV_BEGIN(nvmlDeviceGetPciInfo_v3);
    if (!pci) r = NVML_ERROR_INVALID_ARGUMENT;
    else fill_pci(g, pci);
    END;
}
#endif

nvmlReturn_t nvmlDeviceGetPciInfo_v2(nvmlDevice_t dev, nvmlPciInfo_t *pci)
{
    DEV_BEGIN(nvmlDeviceGetPciInfo_v2);
    if (!pci) r = NVML_ERROR_INVALID_ARGUMENT;
    else fill_pci(g, pci);
    END;
}

/* ------------------------------------------------------------------------- */
/* Utilization and memory                                                     */
/* ------------------------------------------------------------------------- */

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t dev, nvmlUtilization_t *utilization)
{
    DEV_BEGIN(nvmlDeviceGetUtilizationRates);
    if (!utilization) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (g->mig) r = NVML_ERROR_NOT_SUPPORTED;       /* as on a MIG-enabled GPU */
    else {
        utilization->gpu = U32(M_UTIL_GPU);
        utilization->memory = U32(M_UTIL_MEM);
    }
    END;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t dev, nvmlMemory_t *memory)
{
    struct fake_mig *m = mig_from_handle(dev);
    if (m) {
        enter(FN_nvmlDeviceGetMemoryInfo, 0);
        nvmlReturn_t mr = !S.refcount ? NVML_ERROR_UNINITIALIZED : !memory ? NVML_ERROR_INVALID_ARGUMENT : NVML_SUCCESS;
        if (mr == NVML_SUCCESS) {
            memory->total = m->memory_total;
            memory->used = m->memory_used;
            memory->free = m->memory_total - m->memory_used;
        }
        unlock();
        return mr;
    }
    DEV_BEGIN(nvmlDeviceGetMemoryInfo);
    if (!memory) r = NVML_ERROR_INVALID_ARGUMENT;
    else {
        unsigned long long used = metric_at(g, M_MEMORY_USED, t) + g->memory_reserved;
        if (used > g->memory_total) used = g->memory_total;
        memory->total = g->memory_total;
        memory->used = used;
        memory->free = g->memory_total - used;
    }
    END;
}

#ifndef FAKE_LEGACY_ONLY
static unsigned long long sub_clamp(unsigned long long a, unsigned long long b) { return a > b ? a - b : 0; }

nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t dev, nvmlMemory_v2_t *memory)
{
    struct fake_mig *m = mig_from_handle(dev);
    if (m) {
        enter(FN_nvmlDeviceGetMemoryInfo_v2, 0);
        nvmlReturn_t mr = !S.refcount ? NVML_ERROR_UNINITIALIZED : !memory ? NVML_ERROR_INVALID_ARGUMENT
            : memory->version != NVML_MEMORY_V2_VERSION ? NVML_ERROR_ARGUMENT_VERSION_MISMATCH : NVML_SUCCESS;
        if (mr == NVML_SUCCESS) {
            memory->total = m->memory_total;
            memory->reserved = 0;
            memory->used = m->memory_used;
            memory->free = m->memory_total - m->memory_used;
        }
        unlock();
        return mr;
    }
    DEV_BEGIN(nvmlDeviceGetMemoryInfo_v2);
    if (!memory) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (memory->version != NVML_MEMORY_V2_VERSION) r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    else {
        unsigned long long used = metric_at(g, M_MEMORY_USED, t);
        memory->total = g->memory_total;
        memory->reserved = g->memory_reserved;
        memory->used = used;
        memory->free = sub_clamp(sub_clamp(g->memory_total, g->memory_reserved), used);
    }
    END;
}
#endif

/* ------------------------------------------------------------------------- */
/* Temperature, power, energy                                                 */
/* ------------------------------------------------------------------------- */

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t dev, int sensorType, unsigned int *temp)
{
    DEV_BEGIN(nvmlDeviceGetTemperature);
    if (!temp || sensorType != 0) r = NVML_ERROR_INVALID_ARGUMENT;
    else *temp = U32(M_TEMP);
    END;
}

nvmlReturn_t nvmlDeviceGetTemperatureThreshold(nvmlDevice_t dev, int thresholdType, unsigned int *temp)
{
    DEV_BEGIN(nvmlDeviceGetTemperatureThreshold);
    if (!temp || thresholdType < 0 || thresholdType > 6) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (thresholdType > 3) r = NVML_ERROR_NOT_SUPPORTED;  /* acoustic thresholds */
    else if (g->temp_threshold[thresholdType] == 0) r = NVML_ERROR_NOT_SUPPORTED;
    else *temp = g->temp_threshold[thresholdType];
    END;
}

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t dev, unsigned int *power)
{
    DEV_BEGIN(nvmlDeviceGetPowerUsage);
    if (!power) r = NVML_ERROR_INVALID_ARGUMENT;
    else *power = U32(M_POWER_MW);
    END;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t dev, unsigned int *limit)
{
    DEV_BEGIN(nvmlDeviceGetEnforcedPowerLimit);
    if (!limit) r = NVML_ERROR_INVALID_ARGUMENT;
    else *limit = g->power_limit_mw;
    END;
}

nvmlReturn_t nvmlDeviceGetPowerManagementLimitConstraints(nvmlDevice_t dev, unsigned int *minLimit, unsigned int *maxLimit)
{
    DEV_BEGIN(nvmlDeviceGetPowerManagementLimitConstraints);
    if (!minLimit || !maxLimit) r = NVML_ERROR_INVALID_ARGUMENT;
    else { *minLimit = g->power_min_mw; *maxLimit = g->power_max_mw; }
    END;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t dev, unsigned long long *energy)
{
    DEV_BEGIN(nvmlDeviceGetTotalEnergyConsumption);
    if (!energy) r = NVML_ERROR_INVALID_ARGUMENT;
    else *energy = metric_at(g, M_ENERGY_MJ, t);
    END;
}

/* ------------------------------------------------------------------------- */
/* Clocks, fans, performance state, throttle reasons                         */
/* ------------------------------------------------------------------------- */

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t dev, int type, unsigned int *clock)
{
    static const int metric[4] = { M_CLOCK_GRAPHICS, M_CLOCK_SM, M_CLOCK_MEM, M_CLOCK_VIDEO };
    DEV_BEGIN(nvmlDeviceGetClockInfo);
    if (!clock || type < 0 || type > 3) r = NVML_ERROR_INVALID_ARGUMENT;
    else *clock = U32(metric[type]);
    END;
}

nvmlReturn_t nvmlDeviceGetMaxClockInfo(nvmlDevice_t dev, int type, unsigned int *clock)
{
    DEV_BEGIN(nvmlDeviceGetMaxClockInfo);
    if (!clock || type < 0 || type > 3) r = NVML_ERROR_INVALID_ARGUMENT;
    else *clock = g->clock_max[type];
    END;
}

nvmlReturn_t nvmlDeviceGetNumFans(nvmlDevice_t dev, unsigned int *numFans)
{
    DEV_BEGIN(nvmlDeviceGetNumFans);
    if (!numFans) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (g->fans == 0) r = NVML_ERROR_NOT_SUPPORTED;
    else *numFans = g->fans;
    END;
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlDeviceGetFanSpeed_v2(nvmlDevice_t dev, unsigned int fan, unsigned int *speed)
{
    DEV_BEGIN(nvmlDeviceGetFanSpeed_v2);
    if (!speed) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (g->fans == 0) r = NVML_ERROR_NOT_SUPPORTED;
    else if (fan >= g->fans) r = NVML_ERROR_INVALID_ARGUMENT;
    else *speed = U32(fan == 0 ? M_FAN : M_FAN1);
    END;
}
#endif

nvmlReturn_t nvmlDeviceGetFanSpeed(nvmlDevice_t dev, unsigned int *speed)
{
    DEV_BEGIN(nvmlDeviceGetFanSpeed);
    if (!speed) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (g->fans == 0) r = NVML_ERROR_NOT_SUPPORTED;
    else *speed = U32(M_FAN);
    END;
}

nvmlReturn_t nvmlDeviceGetPerformanceState(nvmlDevice_t dev, int *pState)
{
    DEV_BEGIN(nvmlDeviceGetPerformanceState);
    if (!pState) r = NVML_ERROR_INVALID_ARGUMENT;
    else *pState = (int)metric_at(g, M_PSTATE, t);
    END;
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t dev, unsigned long long *reasons)
{
    DEV_BEGIN(nvmlDeviceGetCurrentClocksEventReasons);
    if (!reasons) r = NVML_ERROR_INVALID_ARGUMENT;
    else *reasons = metric_at(g, M_THROTTLE, t);
    END;
}
#endif

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t dev, unsigned long long *reasons)
{
    DEV_BEGIN(nvmlDeviceGetCurrentClocksThrottleReasons);
    if (!reasons) r = NVML_ERROR_INVALID_ARGUMENT;
    else *reasons = metric_at(g, M_THROTTLE, t);
    END;
}

/* ------------------------------------------------------------------------- */
/* ECC, PCIe, encoder / decoder                                               */
/* ------------------------------------------------------------------------- */

nvmlReturn_t nvmlDeviceGetEccMode(nvmlDevice_t dev, int *current, int *pending)
{
    DEV_BEGIN(nvmlDeviceGetEccMode);
    if (!current || !pending) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (!g->ecc) r = NVML_ERROR_NOT_SUPPORTED;
    else { *current = 1; *pending = 1; }
    END;
}

nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t dev, int errorType, int counterType, unsigned long long *eccCounts)
{
    DEV_BEGIN(nvmlDeviceGetTotalEccErrors);
    if (!eccCounts || errorType < 0 || errorType > 1 || counterType < 0 || counterType > 1)
        r = NVML_ERROR_INVALID_ARGUMENT;
    else if (!g->ecc) r = NVML_ERROR_NOT_SUPPORTED;
    else *eccCounts = metric_at(g, errorType == 0 ? M_ECC_CORRECTED : M_ECC_UNCORRECTED, t);
    END;
}

nvmlReturn_t nvmlDeviceGetCurrPcieLinkGeneration(nvmlDevice_t dev, unsigned int *currLinkGen)
{
    DEV_BEGIN(nvmlDeviceGetCurrPcieLinkGeneration);
    if (!currLinkGen) r = NVML_ERROR_INVALID_ARGUMENT;
    else *currLinkGen = g->pcie_gen;
    END;
}

nvmlReturn_t nvmlDeviceGetCurrPcieLinkWidth(nvmlDevice_t dev, unsigned int *currLinkWidth)
{
    DEV_BEGIN(nvmlDeviceGetCurrPcieLinkWidth);
    if (!currLinkWidth) r = NVML_ERROR_INVALID_ARGUMENT;
    else *currLinkWidth = g->pcie_width;
    END;
}

nvmlReturn_t nvmlDeviceGetPcieThroughput(nvmlDevice_t dev, int counter, unsigned int *value)
{
    DEV_BEGIN(nvmlDeviceGetPcieThroughput);
    if (!value || counter < 0 || counter > 1) r = NVML_ERROR_INVALID_ARGUMENT;
    else *value = U32(counter == 0 ? M_PCIE_TX_KBS : M_PCIE_RX_KBS);
    END;
}

nvmlReturn_t nvmlDeviceGetPcieReplayCounter(nvmlDevice_t dev, unsigned int *value)
{
    DEV_BEGIN(nvmlDeviceGetPcieReplayCounter);
    if (!value) r = NVML_ERROR_INVALID_ARGUMENT;
    else *value = U32(M_PCIE_REPLAY);
    END;
}

nvmlReturn_t nvmlDeviceGetRemappedRows(nvmlDevice_t dev, unsigned int *corrRows, unsigned int *uncRows,
                                       unsigned int *isPending, unsigned int *failureOccurred)
{
    DEV_BEGIN(nvmlDeviceGetRemappedRows);
    if (!corrRows || !uncRows || !isPending || !failureOccurred) r = NVML_ERROR_INVALID_ARGUMENT;
    else {
        *corrRows = U32(M_REMAP_CORR);
        *uncRows = U32(M_REMAP_UNC);
        *isPending = 0;
        *failureOccurred = U32(M_REMAP_FAIL);
    }
    END;
}

/* nvml.h's nvmlFieldValue_t: 40 bytes; only NVML_FI_DEV_MEMORY_TEMP (82) is served, as an unsigned int
 * (NVML_VALUE_TYPE_UNSIGNED_INT = 1); another field id answers NOT_SUPPORTED in its own nvmlReturn. A scenario
 * that marks this function unsupported makes the call itself fail, as a GDDR board's field does. */
typedef struct {
    unsigned int fieldId;
    unsigned int scopeId;
    long long timestamp;
    long long latencyUsec;
    int valueType;
    int nvmlReturn;
    unsigned long long value;
} fake_field_value_t;

/* The union's uiVal sits at the start of its 8 bytes (little-endian LP64). */
static void set_uint(unsigned long long *value, unsigned v)
{
    memcpy(value, &v, sizeof v);
}

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t dev, int valuesCount, fake_field_value_t *values)
{
    DEV_BEGIN(nvmlDeviceGetFieldValues);
    if (!values || valuesCount <= 0) r = NVML_ERROR_INVALID_ARGUMENT;
    else {
        for (int i = 0; i < valuesCount; i++) {
            values[i].timestamp = 0;
            values[i].latencyUsec = 0;
            values[i].value = 0;
            unsigned id = values[i].fieldId, link = values[i].scopeId;
            if (id == 82) {
                values[i].valueType = 1;
                values[i].nvmlReturn = NVML_SUCCESS;
                set_uint(&values[i].value, U32(M_MEM_TEMP));
            } else if (id == 91 && g->nvlinks > 0) {          /* NVML_FI_DEV_NVLINK_LINK_COUNT */
                values[i].valueType = 1;
                values[i].nvmlReturn = NVML_SUCCESS;
                set_uint(&values[i].value, g->nvlinks);
            } else if ((id == 138 || id == 139) && g->nvlinks > 0) { /* NVLINK_THROUGHPUT_DATA_TX / _RX, KiB */
                values[i].valueType = 3;
                if (link >= g->nvlinks) values[i].nvmlReturn = NVML_ERROR_INVALID_ARGUMENT;
                else {
                    values[i].nvmlReturn = NVML_SUCCESS;
                    values[i].value = metric_at(g, id == 138 ? M_NVLINK_TX_KIB : M_NVLINK_RX_KIB, t);
                }
            } else {
                values[i].valueType = 1;
                values[i].nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
            }
        }
    }
    END;
}

nvmlReturn_t nvmlDeviceGetEncoderUtilization(nvmlDevice_t dev, unsigned int *utilization, unsigned int *samplingPeriodUs)
{
    DEV_BEGIN(nvmlDeviceGetEncoderUtilization);
    if (!utilization || !samplingPeriodUs) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (g->mig) r = NVML_ERROR_NOT_SUPPORTED;
    else { *utilization = U32(M_ENC); *samplingPeriodUs = FAKE_ENC_DEC_PERIOD_US; }
    END;
}

nvmlReturn_t nvmlDeviceGetDecoderUtilization(nvmlDevice_t dev, unsigned int *utilization, unsigned int *samplingPeriodUs)
{
    DEV_BEGIN(nvmlDeviceGetDecoderUtilization);
    if (!utilization || !samplingPeriodUs) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (g->mig) r = NVML_ERROR_NOT_SUPPORTED;
    else { *utilization = U32(M_DEC); *samplingPeriodUs = FAKE_ENC_DEC_PERIOD_US; }
    END;
}

/* ------------------------------------------------------------------------- */
/* Running processes                                                          */
/* ------------------------------------------------------------------------- */

/* stride 16 = nvmlProcessInfo_v1_t, 24 = nvmlProcessInfo_v2_t. */
static nvmlReturn_t impl_procs(int fn, nvmlDevice_t dev, int kind, unsigned int *infoCount, void *infos, size_t stride)
{
    struct nvmlDevice_st *g = NULL;
    unsigned long long t = 0;
    nvmlReturn_t r = dev_enter(fn, dev, &g, &t);
    if (r != NVML_SUCCESS) goto out;
    if (!infoCount) { r = NVML_ERROR_INVALID_ARGUMENT; goto out; }
    const proc_list_t *l = &g->procs[kind];
    unsigned alive[FAKE_MAX_PROCS], n = 0;
    for (unsigned i = 0; i < l->n; i++)
        if (t >= l->from[i] && (l->until[i] < 0 || t < (unsigned long long)l->until[i])) alive[n++] = i;
    if (n == 0) { *infoCount = 0; goto out; }
    if (!infos || *infoCount < n) {
        *infoCount = n;
        r = NVML_ERROR_INSUFFICIENT_SIZE;
        goto out;
    }
    for (unsigned i = 0; i < n; i++) {
        if (stride == sizeof(nvmlProcessInfo_v1_t)) {
            nvmlProcessInfo_v1_t *p = (nvmlProcessInfo_v1_t *)infos + i;
            memset(p, 0, sizeof *p);
            p->pid = l->pid[alive[i]];
            p->usedGpuMemory = l->used[alive[i]];
        } else {
            nvmlProcessInfo_v2_t *p = (nvmlProcessInfo_v2_t *)infos + i;
            memset(p, 0, sizeof *p);
            p->pid = l->pid[alive[i]];
            p->usedGpuMemory = l->used[alive[i]];
            p->gpuInstanceId = FAKE_NO_INSTANCE_ID;
            p->computeInstanceId = FAKE_NO_INSTANCE_ID;
        }
    }
    *infoCount = n;
    END;
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t dev, unsigned int *infoCount, nvmlProcessInfo_v2_t *infos)
{
    return impl_procs(FN_nvmlDeviceGetComputeRunningProcesses_v3, dev, PROC_COMPUTE, infoCount, infos, sizeof *infos);
}
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v2(nvmlDevice_t dev, unsigned int *infoCount, nvmlProcessInfo_v2_t *infos)
{
    return impl_procs(FN_nvmlDeviceGetComputeRunningProcesses_v2, dev, PROC_COMPUTE, infoCount, infos, sizeof *infos);
}
nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v3(nvmlDevice_t dev, unsigned int *infoCount, nvmlProcessInfo_v2_t *infos)
{
    return impl_procs(FN_nvmlDeviceGetGraphicsRunningProcesses_v3, dev, PROC_GRAPHICS, infoCount, infos, sizeof *infos);
}
nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses_v2(nvmlDevice_t dev, unsigned int *infoCount, nvmlProcessInfo_v2_t *infos)
{
    return impl_procs(FN_nvmlDeviceGetGraphicsRunningProcesses_v2, dev, PROC_GRAPHICS, infoCount, infos, sizeof *infos);
}
#endif

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t dev, unsigned int *infoCount, nvmlProcessInfo_v1_t *infos)
{
    return impl_procs(FN_nvmlDeviceGetComputeRunningProcesses, dev, PROC_COMPUTE, infoCount, infos, sizeof *infos);
}
nvmlReturn_t nvmlDeviceGetGraphicsRunningProcesses(nvmlDevice_t dev, unsigned int *infoCount, nvmlProcessInfo_v1_t *infos)
{
    return impl_procs(FN_nvmlDeviceGetGraphicsRunningProcesses, dev, PROC_GRAPHICS, infoCount, infos, sizeof *infos);
}

/* ------------------------------------------------------------------------- */
/* MIG                                                                        */
/* ------------------------------------------------------------------------- */

nvmlReturn_t nvmlDeviceGetMigMode(nvmlDevice_t dev, unsigned int *currentMode, unsigned int *pendingMode)
{
    DEV_BEGIN(nvmlDeviceGetMigMode);
    if (!currentMode || !pendingMode) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (!g->mig_set) r = NVML_ERROR_NOT_SUPPORTED;
    else { *currentMode = (unsigned)g->mig; *pendingMode = (unsigned)g->mig; }
    END;
}

nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(nvmlDevice_t dev, unsigned int *count)
{
    DEV_BEGIN(nvmlDeviceGetMaxMigDeviceCount);
    if (!count) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (!g->mig_set) r = NVML_ERROR_NOT_SUPPORTED;
    else *count = g->mig ? g->n_mig : 0;
    END;
}

nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(nvmlDevice_t dev, unsigned int index, nvmlDevice_t *migDevice)
{
    DEV_BEGIN(nvmlDeviceGetMigDeviceHandleByIndex);
    if (!migDevice) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (!g->mig_set || !g->mig) r = NVML_ERROR_NOT_SUPPORTED;
    else if (index >= g->n_mig) r = NVML_ERROR_NOT_FOUND;
    else *migDevice = (nvmlDevice_t)(void *)&g->migs[index];
    END;
}

nvmlReturn_t nvmlDeviceGetGpuInstanceId(nvmlDevice_t dev, unsigned int *id)
{
    nvmlReturn_t r = enter_initialized(FN_nvmlDeviceGetGpuInstanceId);
    if (r == NVML_SUCCESS) {
        struct fake_mig *m = mig_from_handle(dev);
        if (!id) r = NVML_ERROR_INVALID_ARGUMENT;
        else if (!m) r = gpu_from_handle(dev) ? NVML_ERROR_NOT_SUPPORTED : NVML_ERROR_INVALID_ARGUMENT;
        else *id = m->gi_id;
    }
    unlock();
    return r;
}

/* ------------------------------------------------------------------------- */
/* Temperature margin, per-process utilization                                */
/* ------------------------------------------------------------------------- */

typedef struct { unsigned int version; int marginTemperature; } fake_margin_t;  /* nvmlMarginTemperature_v1_t */
#define FAKE_MARGIN_VERSION 0x01000008u                    /* sizeof 8 | 1 << 24 */
_Static_assert(sizeof(fake_margin_t) == 8, "nvmlMarginTemperature_t must be 8 bytes");

/* The distance to the slowdown threshold: temp_slowdown - temp, negative past it. */
nvmlReturn_t nvmlDeviceGetMarginTemperature(nvmlDevice_t dev, fake_margin_t *margin)
{
    DEV_BEGIN(nvmlDeviceGetMarginTemperature);
    if (!margin) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (margin->version != FAKE_MARGIN_VERSION) r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    else if (g->temp_threshold[1] == 0) r = NVML_ERROR_NOT_SUPPORTED;
    else margin->marginTemperature = (int)g->temp_threshold[1] - (int)U32(M_TEMP);
    END;
}

typedef struct {                                   /* nvmlProcessUtilizationSample_t, 32 bytes */
    unsigned int pid;
    unsigned long long timeStamp;                  /* µs */
    unsigned int smUtil, memUtil, encUtil, decUtil;
} fake_process_sample_t;
_Static_assert(sizeof(fake_process_sample_t) == 32, "nvmlProcessUtilizationSample_t must be 32 bytes");

/* One sample per running process (compute then graphics); none running answers NOT_FOUND, as the driver does. */
nvmlReturn_t nvmlDeviceGetProcessUtilization(nvmlDevice_t dev, fake_process_sample_t *samples, unsigned int *count,
                                             unsigned long long lastSeenTimeStamp)
{
    (void)lastSeenTimeStamp;
    DEV_BEGIN(nvmlDeviceGetProcessUtilization);
    if (!count) { r = NVML_ERROR_INVALID_ARGUMENT; goto out; }
    unsigned n = 0;
    for (int k = 0; k < 2; k++)
        for (unsigned i = 0; i < g->procs[k].n; i++) {
            const proc_list_t *l = &g->procs[k];
            if (t < l->from[i] || (l->until[i] >= 0 && t >= (unsigned long long)l->until[i])) continue;
            if (samples && n < *count) {
                samples[n].pid = l->pid[i];
                samples[n].timeStamp = monotonic_ms() * 1000ull;
                samples[n].smUtil = l->sm[i];
                samples[n].memUtil = l->sm[i] / 2;
                samples[n].encUtil = 0;
                samples[n].decUtil = 0;
            }
            n++;
        }
    if (n == 0) { *count = 0; r = NVML_ERROR_NOT_FOUND; goto out; }
    if (!samples || *count < n) { *count = n; r = NVML_ERROR_INSUFFICIENT_SIZE; goto out; }
    *count = n;
    END;
}

/* ------------------------------------------------------------------------- */
/* Events (XIDs)                                                              */
/* ------------------------------------------------------------------------- */

#define FAKE_EVENT_XID 0x8ull                      /* nvmlEventTypeXidCriticalError */
#define FAKE_EVENT_SUPPORTED (0x1ull | 0x2ull | 0x4ull | FAKE_EVENT_XID | 0x10ull)

struct fake_event_set {
    unsigned magic;
    unsigned long long mask[FAKE_MAX_GPUS];
    unsigned delivered[FAKE_MAX_GPUS];
};
#define FAKE_EVENT_MAGIC 0x45564e54u

typedef struct {                                   /* nvmlEventData_t (v2: 32 bytes; v1 stops after eventData) */
    nvmlDevice_t device;
    unsigned long long eventType;
    unsigned long long eventData;
    unsigned int gpuInstanceId;
    unsigned int computeInstanceId;
} fake_event_data_t;
_Static_assert(sizeof(fake_event_data_t) == 32, "nvmlEventData_t must be 32 bytes");

nvmlReturn_t nvmlEventSetCreate(struct fake_event_set **set)
{
    nvmlReturn_t r = enter_initialized(FN_nvmlEventSetCreate);
    if (r == NVML_SUCCESS) {
        if (!set) r = NVML_ERROR_INVALID_ARGUMENT;
        else if (!(*set = calloc(1, sizeof **set))) r = NVML_ERROR_MEMORY;
        else (*set)->magic = FAKE_EVENT_MAGIC;
    }
    unlock();
    return r;
}

nvmlReturn_t nvmlEventSetFree(struct fake_event_set *set)
{
    enter(FN_nvmlEventSetFree, 0);
    nvmlReturn_t r = NVML_SUCCESS;
    if (!set || set->magic != FAKE_EVENT_MAGIC) r = NVML_ERROR_INVALID_ARGUMENT;
    else { set->magic = 0; free(set); }
    unlock();
    return r;
}

nvmlReturn_t nvmlDeviceGetSupportedEventTypes(nvmlDevice_t dev, unsigned long long *types)
{
    DEV_BEGIN(nvmlDeviceGetSupportedEventTypes);
    if (!types) r = NVML_ERROR_INVALID_ARGUMENT;
    else *types = FAKE_EVENT_SUPPORTED;
    END;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t dev, unsigned long long types, struct fake_event_set *set)
{
    DEV_BEGIN(nvmlDeviceRegisterEvents);
    if (!set || set->magic != FAKE_EVENT_MAGIC) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (types & ~FAKE_EVENT_SUPPORTED) r = NVML_ERROR_NOT_SUPPORTED;
    else {
        unsigned i = g->index;
        set->mask[i] |= types;
        /* Events are delivered from registration on: earlier XIDs are not queued. */
        unsigned skip = 0;
        while (skip < g->n_xids && g->xid_tick[skip] < t) skip++;
        if (set->delivered[i] < skip) set->delivered[i] = skip;
    }
    END;
}

/* The oldest XID due by now on a registered GPU; TIMEOUT when there is none within timeoutms. */
static nvmlReturn_t impl_wait(int fn, struct fake_event_set *set, fake_event_data_t *data, unsigned timeoutms, int v2)
{
    nvmlReturn_t r = enter_initialized(fn);
    for (int attempt = 0; r == NVML_SUCCESS; attempt++) {
        if (!set || set->magic != FAKE_EVENT_MAGIC || !data) { r = NVML_ERROR_INVALID_ARGUMENT; break; }
        unsigned long long t = current_tick();
        int found = -1;
        for (unsigned i = 0; i < S.gpu_count && found < 0; i++) {
            struct nvmlDevice_st *g = &S.gpus[i];
            if ((set->mask[i] & FAKE_EVENT_XID) && set->delivered[i] < g->n_xids
                && g->xid_tick[set->delivered[i]] <= t) found = (int)i;
        }
        if (found >= 0) {
            struct nvmlDevice_st *g = &S.gpus[found];
            data->device = g;
            data->eventType = FAKE_EVENT_XID;
            data->eventData = g->xid_code[set->delivered[found]++];
            if (v2) { data->gpuInstanceId = FAKE_NO_INSTANCE_ID; data->computeInstanceId = FAKE_NO_INSTANCE_ID; }
            break;
        }
        if (attempt > 0 || timeoutms == 0) { r = NVML_ERROR_TIMEOUT; break; }
        unlock();
        sleep_ms(timeoutms > 1000 ? 1000 : timeoutms);
        lock();
    }
    unlock();
    return r;
}

#ifndef FAKE_LEGACY_ONLY
nvmlReturn_t nvmlEventSetWait_v2(struct fake_event_set *set, fake_event_data_t *data, unsigned int timeoutms)
{
    return impl_wait(FN_nvmlEventSetWait_v2, set, data, timeoutms, 1);
}
#endif
nvmlReturn_t nvmlEventSetWait(struct fake_event_set *set, fake_event_data_t *data, unsigned int timeoutms)
{
    return impl_wait(FN_nvmlEventSetWait, set, data, timeoutms, 0);
}

/* ------------------------------------------------------------------------- */
/* GPM (Hopper and later)                                                     */
/* ------------------------------------------------------------------------- */

struct fake_gpm_sample {
    unsigned magic;
    int filled;
    unsigned gpu;
    unsigned long long tick;
};
#define FAKE_GPM_MAGIC 0x47504d53u

typedef struct {                                   /* nvmlGpmMetric_t, 40 bytes */
    unsigned int metricId;
    int nvmlReturn;
    double value;
    const char *shortName, *longName, *unit;
} fake_gpm_metric_t;
typedef struct {                                   /* nvmlGpmMetricsGet_t: 24-byte head, then the metrics */
    unsigned int version;
    unsigned int numMetrics;
    struct fake_gpm_sample *sample1;
    struct fake_gpm_sample *sample2;
    fake_gpm_metric_t metrics[];
} fake_gpm_get_t;
typedef struct { unsigned int version; unsigned int isSupportedDevice; } fake_gpm_support_t;
_Static_assert(sizeof(fake_gpm_metric_t) == 40, "nvmlGpmMetric_t must be 40 bytes");
_Static_assert(offsetof(fake_gpm_get_t, metrics) == 24, "nvmlGpmMetricsGet_t.metrics @24");
#define FAKE_GPM_METRIC_MAX 333                    /* CUDA 13's NVML_GPM_METRIC_MAX; older headers have 98 */

nvmlReturn_t nvmlGpmQueryDeviceSupport(nvmlDevice_t dev, fake_gpm_support_t *support)
{
    DEV_BEGIN(nvmlGpmQueryDeviceSupport);
    if (!support) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (support->version != 1) r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
    else support->isSupportedDevice = (unsigned)g->gpm;
    END;
}

nvmlReturn_t nvmlGpmSampleAlloc(struct fake_gpm_sample **sample)
{
    nvmlReturn_t r = enter_initialized(FN_nvmlGpmSampleAlloc);
    if (r == NVML_SUCCESS) {
        if (!sample) r = NVML_ERROR_INVALID_ARGUMENT;
        else if (!(*sample = calloc(1, sizeof **sample))) r = NVML_ERROR_MEMORY;
        else (*sample)->magic = FAKE_GPM_MAGIC;
    }
    unlock();
    return r;
}

nvmlReturn_t nvmlGpmSampleFree(struct fake_gpm_sample *sample)
{
    enter(FN_nvmlGpmSampleFree, 0);
    nvmlReturn_t r = NVML_SUCCESS;
    if (!sample || sample->magic != FAKE_GPM_MAGIC) r = NVML_ERROR_INVALID_ARGUMENT;
    else { sample->magic = 0; free(sample); }
    unlock();
    return r;
}

nvmlReturn_t nvmlGpmSampleGet(nvmlDevice_t dev, struct fake_gpm_sample *sample)
{
    DEV_BEGIN(nvmlGpmSampleGet);
    if (!sample || sample->magic != FAKE_GPM_MAGIC) r = NVML_ERROR_INVALID_ARGUMENT;
    else if (!g->gpm) r = NVML_ERROR_NOT_SUPPORTED;
    else { sample->filled = 1; sample->gpu = g->index; sample->tick = t; }
    END;
}

/* Percentages over the span between two samples of one GPU, taken from the series at the later sample's tick. */
nvmlReturn_t nvmlGpmMetricsGet(fake_gpm_get_t *get)
{
    nvmlReturn_t r = enter_initialized(FN_nvmlGpmMetricsGet);
    if (r != NVML_SUCCESS) goto out;
    if (!get) { r = NVML_ERROR_INVALID_ARGUMENT; goto out; }
    if (get->version != 1) { r = NVML_ERROR_ARGUMENT_VERSION_MISMATCH; goto out; }
    struct fake_gpm_sample *a = get->sample1, *b = get->sample2;
    if (get->numMetrics == 0 || get->numMetrics > FAKE_GPM_METRIC_MAX || !a || !b || a->magic != FAKE_GPM_MAGIC
        || b->magic != FAKE_GPM_MAGIC || !a->filled || !b->filled || a->gpu != b->gpu) {
        r = NVML_ERROR_INVALID_ARGUMENT;
        goto out;
    }
    const struct nvmlDevice_st *g = &S.gpus[b->gpu];
    for (unsigned i = 0; i < get->numMetrics; i++) {
        fake_gpm_metric_t *m = &get->metrics[i];
        int series;
        switch (m->metricId) {
        case 1: series = M_GPM_GR; break;          /* NVML_GPM_METRIC_GRAPHICS_UTIL */
        case 2: series = M_GPM_SM; break;          /* SM_UTIL */
        case 3: series = M_GPM_OCC; break;         /* SM_OCCUPANCY */
        case 5: series = M_GPM_TENSOR; break;      /* ANY_TENSOR_UTIL */
        case 10: series = M_GPM_DRAM; break;       /* DRAM_BW_UTIL */
        default: series = -1;
        }
        m->shortName = m->longName = m->unit = NULL;
        if (series < 0) { m->nvmlReturn = NVML_ERROR_NOT_SUPPORTED; m->value = 0; continue; }
        m->nvmlReturn = NVML_SUCCESS;
        m->value = (double)metric_at(g, series, b->tick);
        m->unit = "%";
    }
out:
    unlock();
    return r;
}
