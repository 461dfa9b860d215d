import java.util.List;
import org.springframework.web.bind.annotation.CrossOrigin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.cors.CorsConfiguration;

@RestController
public class FruitController {
    // ruleid: dpra.java.cors-any-origin-with-credentials
    @CrossOrigin(origins = "*", allowCredentials = "true")
    @GetMapping("/fruits")
    public List<String> fruits() {
        return List.of("apple");
    }

    // ok: dpra.java.cors-any-origin-with-credentials
    @CrossOrigin(origins = "https://fruit.example.com", allowCredentials = "true")
    @GetMapping("/basket")
    public List<String> basket() {
        return List.of("pear");
    }

    CorsConfiguration open() {
        CorsConfiguration config = new CorsConfiguration();
        // ruleid: dpra.java.cors-any-origin-with-credentials
        config.addAllowedOriginPattern("*");
        config.setAllowCredentials(true);
        return config;
    }

    CorsConfiguration publicApi() {
        CorsConfiguration config = new CorsConfiguration();
        // ok: dpra.java.cors-any-origin-with-credentials
        config.addAllowedOriginPattern("*");
        config.setAllowCredentials(false);
        return config;
    }
}
