/// The fixed word lists the demo lake draws from (see
/// shared/spec/demo-dataset.md: regions, countries, categories). All ASCII,
/// so e-mail addresses can be built from names. Arrays, never dictionaries:
/// their order is part of the output.
enum DemoVocabulary {
    struct Country {
        var name: String
        var region: String
        /// Relative share of customers.
        var weight: Int
        var cities: [String]
    }

    static let regions = ["AMER", "EMEA", "APAC", "LATAM"]

    /// The spec's "Countries by region", each with some cities.
    static let countries: [Country] = [
        Country(name: "United States", region: "AMER", weight: 260,
                cities: ["New York", "Los Angeles", "Chicago", "Houston", "Seattle", "Boston", "Atlanta", "Denver"]),
        Country(name: "Canada", region: "AMER", weight: 60, cities: ["Toronto", "Vancouver", "Montreal", "Calgary"]),
        Country(name: "Mexico", region: "LATAM", weight: 50, cities: ["Mexico City", "Guadalajara", "Monterrey", "Puebla"]),
        Country(name: "Brazil", region: "LATAM", weight: 55, cities: ["Sao Paulo", "Rio de Janeiro", "Belo Horizonte", "Curitiba"]),
        Country(name: "Argentina", region: "LATAM", weight: 20, cities: ["Buenos Aires", "Cordoba", "Rosario"]),
        Country(name: "Chile", region: "LATAM", weight: 15, cities: ["Santiago", "Valparaiso", "Concepcion"]),
        Country(name: "Germany", region: "EMEA", weight: 70, cities: ["Berlin", "Munich", "Hamburg", "Frankfurt", "Cologne"]),
        Country(name: "France", region: "EMEA", weight: 50, cities: ["Paris", "Lyon", "Marseille", "Toulouse"]),
        Country(name: "United Kingdom", region: "EMEA", weight: 65, cities: ["London", "Manchester", "Birmingham", "Edinburgh", "Bristol"]),
        Country(name: "Spain", region: "EMEA", weight: 30, cities: ["Madrid", "Barcelona", "Valencia", "Seville"]),
        Country(name: "Italy", region: "EMEA", weight: 30, cities: ["Rome", "Milan", "Naples", "Turin"]),
        Country(name: "Netherlands", region: "EMEA", weight: 20, cities: ["Amsterdam", "Rotterdam", "Utrecht"]),
        Country(name: "South Africa", region: "EMEA", weight: 15, cities: ["Johannesburg", "Cape Town", "Durban"]),
        Country(name: "United Arab Emirates", region: "EMEA", weight: 15, cities: ["Dubai", "Abu Dhabi", "Sharjah"]),
        Country(name: "Japan", region: "APAC", weight: 55, cities: ["Tokyo", "Osaka", "Yokohama", "Nagoya"]),
        Country(name: "China", region: "APAC", weight: 50, cities: ["Shanghai", "Beijing", "Shenzhen", "Guangzhou"]),
        Country(name: "India", region: "APAC", weight: 45, cities: ["Mumbai", "Bangalore", "Delhi", "Hyderabad", "Chennai"]),
        Country(name: "Australia", region: "APAC", weight: 30, cities: ["Sydney", "Melbourne", "Brisbane", "Perth"]),
        Country(name: "Singapore", region: "APAC", weight: 15, cities: ["Singapore"]),
        Country(name: "South Korea", region: "APAC", weight: 25, cities: ["Seoul", "Busan", "Incheon"]),
    ]

    static let segments = ["Consumer", "Corporate", "Small Business"]
    static let segmentWeights = [50, 30, 20]

    static let firstNames = [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
        "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
        "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Sandra", "Mark", "Ashley", "Paul", "Emily",
        "Lucas", "Sofia", "Mateo", "Camila", "Hans", "Anna", "Pierre", "Chloe", "Marco", "Giulia",
        "Kenji", "Yuki", "Wei", "Mei", "Arjun", "Priya", "Min-jun", "Seo-yeon", "Ahmed", "Fatima",
        "Liam", "Olivia", "Noah", "Emma", "Diego", "Valentina", "Jan", "Lotte", "Thabo", "Naledi",
    ]

    static let lastNames = [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Lee",
        "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright",
        "Mueller", "Schmidt", "Schneider", "Dubois", "Moreau", "Rossi", "Russo", "Ferrari", "Silva", "Santos",
        "Tanaka", "Suzuki", "Sato", "Wang", "Li", "Zhang", "Sharma", "Patel", "Kim", "Park",
        "de Vries", "Jansen", "Nkosi", "Dlamini", "Al Mansouri", "Fernandez", "Gomez", "Diaz", "Novak", "Olsen",
    ]

    /// Company names: "<word> <noun> <suffix>" or "<last name> <suffix>".
    static let companyWords = [
        "Northwind", "Blue Harbor", "Summit", "Granite", "Silverline", "Redwood", "Brightpath", "Ironbridge", "Cedar",
        "Pinnacle", "Lakeside", "Horizon", "Evergreen", "Copperfield", "Westgate", "Sunrise", "Atlas", "Keystone",
        "Riverbend", "Oakmont", "Stonebrook", "Crescent", "Harborview", "Maple", "Falcon", "Orion", "Sterling",
    ]
    static let companyNouns = [
        "Traders", "Logistics", "Consulting", "Systems", "Partners", "Industries", "Labs", "Supply", "Holdings",
        "Retail", "Media", "Health", "Foods", "Energy", "Analytics", "Design", "Builders", "Networks",
    ]
    static let companySuffixes = ["Inc", "LLC", "Ltd", "GmbH", "SA", "Co", "Group", "Pty Ltd", "BV", "KK"]

    struct Subcategory {
        var name: String
        /// The word used in product names ("Laptop").
        var noun: String
        /// List price range in whole currency units.
        var priceRange: ClosedRange<Int>
    }

    struct Category {
        var name: String
        /// Products of the category among the 500.
        var productCount: Int
        var subcategories: [Subcategory]
        var brands: [String]
    }

    static let categories: [Category] = [
        Category(name: "Electronics", productCount: 130, subcategories: [
            Subcategory(name: "Laptops", noun: "Laptop", priceRange: 599...2499),
            Subcategory(name: "Phones", noun: "Phone", priceRange: 199...1299),
            Subcategory(name: "Monitors", noun: "Monitor", priceRange: 129...899),
            Subcategory(name: "Audio", noun: "Headphones", priceRange: 29...399),
            Subcategory(name: "Tablets", noun: "Tablet", priceRange: 149...1099),
            Subcategory(name: "Cameras", noun: "Camera", priceRange: 249...1999),
        ], brands: ["Voltix", "Nimbus", "Quantra", "Lumina", "Axion", "Zentek"]),
        Category(name: "Furniture", productCount: 80, subcategories: [
            Subcategory(name: "Chairs", noun: "Chair", priceRange: 79...899),
            Subcategory(name: "Desks", noun: "Desk", priceRange: 149...1499),
            Subcategory(name: "Bookcases", noun: "Bookcase", priceRange: 89...599),
            Subcategory(name: "Tables", noun: "Table", priceRange: 129...1199),
            Subcategory(name: "Storage", noun: "Cabinet", priceRange: 59...499),
        ], brands: ["Oakline", "Nordhaus", "Ergoform", "Casa Verde", "Steelworks"]),
        Category(name: "Office Supplies", productCount: 130, subcategories: [
            Subcategory(name: "Paper", noun: "Paper Pack", priceRange: 4...39),
            Subcategory(name: "Binders", noun: "Binder", priceRange: 3...29),
            Subcategory(name: "Pens", noun: "Pen Set", priceRange: 2...49),
            Subcategory(name: "Labels", noun: "Label Roll", priceRange: 3...25),
            Subcategory(name: "Envelopes", noun: "Envelope Box", priceRange: 5...35),
            Subcategory(name: "Art", noun: "Marker Kit", priceRange: 6...79),
        ], brands: ["Scribe", "Papyra", "Officio", "Inkwell", "Clipmark"]),
        Category(name: "Clothing", productCount: 90, subcategories: [
            Subcategory(name: "Shirts", noun: "Shirt", priceRange: 19...89),
            Subcategory(name: "Jackets", noun: "Jacket", priceRange: 59...349),
            Subcategory(name: "Shoes", noun: "Sneakers", priceRange: 49...229),
            Subcategory(name: "Accessories", noun: "Cap", priceRange: 9...79),
        ], brands: ["Urbano", "Trailhead", "Kestrel", "Mode Nord", "Bluefin"]),
        Category(name: "Sports", productCount: 70, subcategories: [
            Subcategory(name: "Fitness", noun: "Dumbbell Set", priceRange: 19...499),
            Subcategory(name: "Outdoor", noun: "Tent", priceRange: 49...699),
            Subcategory(name: "Team Sports", noun: "Ball", priceRange: 15...149),
            Subcategory(name: "Cycling", noun: "Bike Helmet", priceRange: 39...399),
        ], brands: ["Peakform", "Velocity", "Ridgeback", "Aquila", "Stride"]),
    ]

    /// Model names put between the noun and the number ("Voltix Laptop Pro 117").
    static let series = ["Pro", "Air", "Max", "Lite", "Plus", "One", "Prime", "Edge", "Core", "Flex", "Ultra", "Neo"]

    static let channels = ["Online", "Retail", "Partner"]
    static let channelWeights = [50, 32, 18]
}
