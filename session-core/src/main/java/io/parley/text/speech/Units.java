package io.parley.text.speech;

import java.util.Map;

/** Unit abbreviations and their English names. */
final class Units {

    record Unit(String singular, String plural) {
    }

    private static final Map<String, Unit> UNITS = Map.ofEntries(
            Map.entry("km/h", new Unit("kilometer per hour", "kilometers per hour")),
            Map.entry("kph", new Unit("kilometer per hour", "kilometers per hour")),
            Map.entry("mph", new Unit("mile per hour", "miles per hour")),
            Map.entry("km", new Unit("kilometer", "kilometers")),
            Map.entry("cm", new Unit("centimeter", "centimeters")),
            Map.entry("mm", new Unit("millimeter", "millimeters")),
            Map.entry("m", new Unit("meter", "meters")),
            Map.entry("mi", new Unit("mile", "miles")),
            Map.entry("ft", new Unit("foot", "feet")),
            Map.entry("kg", new Unit("kilogram", "kilograms")),
            Map.entry("mg", new Unit("milligram", "milligrams")),
            Map.entry("g", new Unit("gram", "grams")),
            Map.entry("lbs", new Unit("pound", "pounds")),
            Map.entry("lb", new Unit("pound", "pounds")),
            Map.entry("oz", new Unit("ounce", "ounces")),
            Map.entry("ml", new Unit("milliliter", "milliliters")),
            Map.entry("mL", new Unit("milliliter", "milliliters")),
            Map.entry("L", new Unit("liter", "liters")),
            Map.entry("TB", new Unit("terabyte", "terabytes")),
            Map.entry("GB", new Unit("gigabyte", "gigabytes")),
            Map.entry("MB", new Unit("megabyte", "megabytes")),
            Map.entry("KB", new Unit("kilobyte", "kilobytes")),
            Map.entry("kB", new Unit("kilobyte", "kilobytes")),
            Map.entry("GHz", new Unit("gigahertz", "gigahertz")),
            Map.entry("MHz", new Unit("megahertz", "megahertz")),
            Map.entry("kHz", new Unit("kilohertz", "kilohertz")),
            Map.entry("Hz", new Unit("hertz", "hertz")),
            Map.entry("kWh", new Unit("kilowatt hour", "kilowatt hours")),
            Map.entry("kW", new Unit("kilowatt", "kilowatts")),
            Map.entry("ms", new Unit("millisecond", "milliseconds")),
            Map.entry("sec", new Unit("second", "seconds")),
            Map.entry("min", new Unit("minute", "minutes")),
            Map.entry("hrs", new Unit("hour", "hours")),
            Map.entry("hr", new Unit("hour", "hours")),
            Map.entry("°C", new Unit("degree Celsius", "degrees Celsius")),
            Map.entry("°F", new Unit("degree Fahrenheit", "degrees Fahrenheit")),
            Map.entry("°", new Unit("degree", "degrees")));

    /** The abbreviations as a regex alternation, longest first so "km/h" wins over "km". */
    static final String PATTERN = String.join("|", UNITS.keySet().stream()
            .sorted((a, b) -> b.length() != a.length() ? b.length() - a.length() : a.compareTo(b))
            .map(java.util.regex.Pattern::quote).toList());

    private Units() {
    }

    static Unit of(String abbreviation) {
        return UNITS.get(abbreviation);
    }
}
