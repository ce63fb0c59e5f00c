package dev.headroom.telemetry.nvml;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import dev.headroom.telemetry.SourceUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw library: libnvidia-ml loaded on demand (never in a static initializer, so machines without a driver
 * start fine) and every function this program calls looked up once, newest version first. A function the
 * driver's library lacks is null here, and the reading that needs it says "function missing" instead of the
 * process dying on an undefined symbol.
 */
final class NvmlLibrary {
    /** System property with a path to the library to load (tests point it at the fake); default: the driver's. */
    static final String LIBRARY_PROPERTY = "headroom.nvml.library";

    /** Which struct the process functions fill (the R535.43-535.86 trap, §2.7). */
    enum ProcessLayout { V1_16, V2_24, R535_32 }

    final NativeLibrary library;
    final String location;
    final Function init;
    final Function shutdown;
    final Function errorString;
    final Function driverVersion;
    final Function nvmlVersion;
    final Function cudaDriverVersion;
    final Function deviceCount;
    final Function handleByIndex;
    final Function name;
    final Function uuid;
    final Function pciInfo;
    final Function utilization;
    final Function memoryV2;
    final Function memoryV1;
    final Function temperature;
    final Function temperatureThreshold;
    final Function powerUsage;
    final Function enforcedPowerLimit;
    final Function powerLimitConstraints;
    final Function totalEnergy;
    final Function clockInfo;
    final Function maxClockInfo;
    final Function numFans;
    final Function fanSpeedV2;
    final Function fanSpeedV1;
    final Function performanceState;
    final Function clockEventReasons;
    final Function eccMode;
    final Function totalEccErrors;
    final Function pcieGeneration;
    final Function pcieWidth;
    final Function pcieThroughput;
    final Function encoderUtilization;
    final Function decoderUtilization;
    final Function pcieReplayCounter;
    final Function remappedRows;
    final Function fieldValues;
    final Function computeProcesses;
    final Function graphicsProcesses;
    final ProcessLayout processLayout;
    final Function migMode;
    final Function marginTemperature;
    final Function processUtilization;
    final Function eventSetCreate;
    final Function registerEvents;
    final Function eventSetWait;
    final Function eventSetFree;
    final Function gpmQueryDeviceSupport;
    final Function gpmSampleAlloc;
    final Function gpmSampleFree;
    final Function gpmSampleGet;
    final Function gpmMetricsGet;
    final Function maxMigDeviceCount;
    final Function migDeviceHandleByIndex;
    final Function gpuInstanceId;
    final List<String> missing = new ArrayList<>();

    private NvmlLibrary(NativeLibrary library, String location) {
        this.library = library;
        this.location = location;
        init = first("nvmlInit_v2", "nvmlInit");
        shutdown = first("nvmlShutdown");
        errorString = first("nvmlErrorString");
        driverVersion = first("nvmlSystemGetDriverVersion");
        nvmlVersion = first("nvmlSystemGetNVMLVersion");
        cudaDriverVersion = first("nvmlSystemGetCudaDriverVersion_v2", "nvmlSystemGetCudaDriverVersion");
        deviceCount = first("nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
        handleByIndex = first("nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
        name = first("nvmlDeviceGetName");
        uuid = first("nvmlDeviceGetUUID");
        pciInfo = first("nvmlDeviceGetPciInfo_v3", "nvmlDeviceGetPciInfo_v2", "nvmlDeviceGetPciInfo");
        utilization = first("nvmlDeviceGetUtilizationRates");
        memoryV2 = first("nvmlDeviceGetMemoryInfo_v2");
        memoryV1 = first("nvmlDeviceGetMemoryInfo");
        temperature = first("nvmlDeviceGetTemperature");
        temperatureThreshold = first("nvmlDeviceGetTemperatureThreshold");
        powerUsage = first("nvmlDeviceGetPowerUsage");
        enforcedPowerLimit = first("nvmlDeviceGetEnforcedPowerLimit");
        powerLimitConstraints = first("nvmlDeviceGetPowerManagementLimitConstraints");
        totalEnergy = first("nvmlDeviceGetTotalEnergyConsumption");
        clockInfo = first("nvmlDeviceGetClockInfo");
        maxClockInfo = first("nvmlDeviceGetMaxClockInfo");
        numFans = first("nvmlDeviceGetNumFans");
        fanSpeedV2 = first("nvmlDeviceGetFanSpeed_v2");
        fanSpeedV1 = first("nvmlDeviceGetFanSpeed");
        performanceState = first("nvmlDeviceGetPerformanceState");
        clockEventReasons = first("nvmlDeviceGetCurrentClocksEventReasons", "nvmlDeviceGetCurrentClocksThrottleReasons");
        eccMode = first("nvmlDeviceGetEccMode");
        totalEccErrors = first("nvmlDeviceGetTotalEccErrors");
        pcieGeneration = first("nvmlDeviceGetCurrPcieLinkGeneration");
        pcieWidth = first("nvmlDeviceGetCurrPcieLinkWidth");
        pcieThroughput = first("nvmlDeviceGetPcieThroughput");
        encoderUtilization = first("nvmlDeviceGetEncoderUtilization");
        decoderUtilization = first("nvmlDeviceGetDecoderUtilization");
        pcieReplayCounter = first("nvmlDeviceGetPcieReplayCounter");
        remappedRows = first("nvmlDeviceGetRemappedRows"); // R460 and later
        fieldValues = first("nvmlDeviceGetFieldValues");
        Function compute3 = optional("nvmlDeviceGetComputeRunningProcesses_v3");
        Function compute2 = optional("nvmlDeviceGetComputeRunningProcesses_v2");
        Function graphics3 = optional("nvmlDeviceGetGraphicsRunningProcesses_v3");
        Function graphics2 = optional("nvmlDeviceGetGraphicsRunningProcesses_v2");
        if (compute3 != null) {
            // nvitop's rule: the 32-byte struct only where confidential-compute memory exists but the detail-list
            // API that later took that field over does not (drivers R535.43-535.86).
            boolean r535 = optional("nvmlDeviceGetConfComputeMemSizeInfo") != null
                    && optional("nvmlDeviceGetRunningProcessDetailList") == null;
            computeProcesses = compute3;
            graphicsProcesses = graphics3 != null ? graphics3 : graphics2;
            processLayout = r535 ? ProcessLayout.R535_32 : ProcessLayout.V2_24;
        } else if (compute2 != null) {
            computeProcesses = compute2;
            graphicsProcesses = graphics2;
            processLayout = ProcessLayout.V2_24;
        } else {
            computeProcesses = first("nvmlDeviceGetComputeRunningProcesses");
            graphicsProcesses = first("nvmlDeviceGetGraphicsRunningProcesses");
            processLayout = ProcessLayout.V1_16;
        }
        migMode = optional("nvmlDeviceGetMigMode");
        marginTemperature = first("nvmlDeviceGetMarginTemperature"); // R570 and later
        processUtilization = first("nvmlDeviceGetProcessUtilization");
        eventSetCreate = first("nvmlEventSetCreate");
        registerEvents = first("nvmlDeviceRegisterEvents");
        eventSetWait = first("nvmlEventSetWait_v2", "nvmlEventSetWait");
        eventSetFree = first("nvmlEventSetFree");
        // GPM: R520 and later, Hopper GPUs and newer.
        gpmQueryDeviceSupport = first("nvmlGpmQueryDeviceSupport");
        gpmSampleAlloc = first("nvmlGpmSampleAlloc");
        gpmSampleFree = first("nvmlGpmSampleFree");
        gpmSampleGet = first("nvmlGpmSampleGet");
        gpmMetricsGet = first("nvmlGpmMetricsGet");
        maxMigDeviceCount = optional("nvmlDeviceGetMaxMigDeviceCount");
        migDeviceHandleByIndex = optional("nvmlDeviceGetMigDeviceHandleByIndex");
        gpuInstanceId = optional("nvmlDeviceGetGpuInstanceId");
    }

    /** Loads the library; a missing library is a reason to show, not a crash. */
    static NvmlLibrary load() {
        String configured = System.getProperty(LIBRARY_PROPERTY);
        String location = configured != null && !configured.isBlank() ? configured : "nvidia-ml";
        try {
            return new NvmlLibrary(NativeLibrary.getInstance(location), location);
        } catch (UnsatisfiedLinkError e) {
            throw new SourceUnavailableException(SourceUnavailableException.Reason.LIBRARY_NOT_FOUND,
                    "NVML (libnvidia-ml.so.1) was not found" + (configured != null ? " at " + configured : "")
                            + ". It comes with the NVIDIA driver: install the driver (e.g. 'apt install"
                            + " nvidia-driver' or NVIDIA's installer), or use the simulated source.");
        }
    }

    private Function first(String... names) {
        for (String candidate : names) {
            Function function = optional(candidate);
            if (function != null) {
                return function;
            }
        }
        missing.add(names[0]);
        return null;
    }

    private Function optional(String symbol) {
        try {
            return library.getFunction(symbol);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** Calls a function that exists; a missing one reads as FUNCTION_NOT_FOUND. */
    static NvmlReturn call(Function function, Object... arguments) {
        if (function == null) {
            return NvmlReturn.FUNCTION_NOT_FOUND;
        }
        return NvmlReturn.of(function.invokeInt(arguments));
    }

    /** Which symbol a function resolved to, for diagnostics ("nvmlInit_v2"). */
    static String symbol(Function function) {
        return function == null ? "(missing)" : function.getName();
    }
}
